/** The overlay pieces both client wrappers are made of (see client-proxy.ts). */
import { observaTracer } from '../../active-sdk.ts';
import type { InstrumentationOptions } from '../options.ts';
import { overlay } from './client-proxy.ts';
import { tracedCall, type CallPlan } from './traced-call.ts';

type Method = (...args: unknown[]) => unknown;

/**
 * `resource` (`messages`, `chat.completions`, ...) with a traced `create`. Inside it, `_client`
 * reads as the wrapped client: the SDKs' helpers (`stream()`, `parse()`, `runTools()`) call
 * `this._client.<resource>.create()`, and that way they are traced too.
 */
export function tracedResource(resource: unknown, options: InstrumentationOptions, client: object, plan: (args: unknown[]) => CallPlan, wrapped: () => object): object {
  const target = resource as object;
  return overlay(
    target,
    {
      create: (create) =>
        typeof create !== 'function' ? create : (...args: unknown[]) => tracedCall(() => observaTracer(options.tracerProvider), client, args, plan, (a) => Reflect.apply(create as Method, target, a)),
      _client: wrapped,
    },
    false,
  );
}

/** A client's `withOptions`, returning its copy (a new client) wrapped by `wrap` as well. */
export function rewrappingWithOptions(client: object, wrap: (copy: object) => object): (withOptions: unknown) => unknown {
  return (withOptions) => (typeof withOptions !== 'function' ? withOptions : (...args: unknown[]) => wrap(Reflect.apply(withOptions as Method, client, args) as object));
}
