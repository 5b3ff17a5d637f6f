/**
 * `wrapAnthropic(client)`: the same client, traced. A Proxy presents `messages` (and
 * `beta.messages`) with a traced `create`; everything else reaches the real client, which is
 * never modified.
 *
 * `messages.stream()` is traced as well: the SDK's MessageStream calls `create()` on the
 * resource it was called on (the wrapped one) and reads the returned stream, which is observed.
 *
 * `@anthropic-ai/sdk` >= 1.x also emits its own `anthropic.messages.create` span when it has a
 * tracer provider (client option `openTelemetry`). That span would nest under ours with output but
 * no input tokens, and the collector counts usage on the innermost span, so input would be lost:
 * the wrapper therefore works on a `withOptions({ openTelemetry: false })` copy of the client, and
 * its own span is the one complete GenAI span of each call.
 */
import { isOverlay, overlay } from '../core/client-proxy.ts';
import { rewrappingWithOptions, tracedResource } from '../core/traced-resource.ts';
import type { InstrumentationOptions } from '../options.ts';
import { anthropicEnv, planMessages } from './messages-call.ts';

type Method = (...args: unknown[]) => unknown;

export function wrapAnthropic<C extends object>(client: C, options: InstrumentationOptions = {}): C {
  if (isOverlay(client)) return client;
  try {
    return instrument(withoutBuiltInTracing(client), options);
  } catch {
    return client;
  }
}

function withoutBuiltInTracing<C extends object>(client: C): C {
  const withOptions = (client as { withOptions?: Method }).withOptions;
  if (typeof withOptions !== 'function' || !('openTelemetry' in client)) return client;
  return Reflect.apply(withOptions, client, [{ openTelemetry: false }]) as C;
}

function instrument<C extends object>(client: C, options: InstrumentationOptions): C {
  const messages = (resource: unknown) => tracedResource(resource, options, client, (args) => planMessages(args, anthropicEnv(client, options)), () => wrapped);
  const wrapped: C = overlay(
    client,
    {
      messages,
      beta: (beta) => overlay(beta as object, { messages, _client: () => wrapped }, false),
      withOptions: rewrappingWithOptions(client, (copy) => wrapAnthropic(copy, options)),
    },
    true,
  );
  return wrapped;
}
