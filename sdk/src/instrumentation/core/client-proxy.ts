/**
 * Proxies that present a client, or one of its resources, with some properties replaced. The
 * original objects are never written to, so an unwrapped client keeps working untraced.
 */
type Factory = (value: unknown) => unknown;

const overlays = new WeakSet<object>();

export function isOverlay(value: unknown): boolean {
  return typeof value === 'object' && value !== null && overlays.has(value);
}

/**
 * `target` with each property named in `overrides` read as `overrides[name](original value)`
 * (built once per original value, so `wrapped.chat === wrapped.chat`).
 *
 * `bindMethods` is for SDK clients: their methods and getters read private class fields, which
 * only work with the real object as `this`, so inherited methods are bound to it. Resources are
 * not bound: their helper methods (`parse()`, `stream()`, `runTools()`) call `this.create()` and
 * `this._client`, and reaching the overrides through the proxy is what traces those helpers too.
 */
export function overlay<T extends object>(target: T, overrides: Record<string, Factory>, bindMethods: boolean): T {
  const built = new Map<string, { source: unknown; value: unknown }>();
  const bound = new WeakMap<object, unknown>();
  const proxy = new Proxy(target, {
    get(t, prop, receiver) {
      const value: unknown = Reflect.get(t, prop, bindMethods ? t : receiver);
      if (typeof prop === 'string' && Object.hasOwn(overrides, prop) && value !== undefined && value !== null && replaceable(t, prop)) {
        const cached = built.get(prop);
        if (cached && cached.source === value) return cached.value;
        let made: unknown = value;
        try {
          made = overrides[prop](value);
        } catch {
          // keep the original property: the call goes untraced rather than broken
        }
        built.set(prop, { source: value, value: made });
        return made;
      }
      if (bindMethods && typeof value === 'function' && prop !== 'constructor' && !Object.hasOwn(t, prop)) {
        let fn = bound.get(value);
        if (fn === undefined) {
          fn = (value as (...args: unknown[]) => unknown).bind(t);
          bound.set(value, fn);
        }
        return fn;
      }
      return value;
    },
  });
  overlays.add(proxy);
  return proxy;
}

/** A Proxy may not report another value for a frozen own property (it would throw): those stay as they are. */
function replaceable(target: object, prop: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(target, prop);
  return descriptor === undefined || descriptor.configurable === true || descriptor.writable === true;
}
