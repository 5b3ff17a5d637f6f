/**
 * Type-confusion fuzzing for the OTLP/JSON decoders: replace one value anywhere in a valid request with a
 * value of another type, decode, and require a result or a DecodeError, never another exception (TypeError,
 * RangeError, ...), which the receiver would answer with a 500 instead of a 400.
 */
import { DecodeError } from '../otlp/span.ts';
import { seededRandom } from './seeded-random.ts';

/** Values of every JSON type, plus the shapes the decoders special-case (hex, int64 strings, AnyValue, {values}). */
const REPLACEMENTS = [null, 0, -1, 1.5, 2 ** 70, '', 'zz', '-5', 'NaN', true, [], {}, [1], [null], { a: 1 }, { values: 5 }, { stringValue: 1 }];

/**
 * `swaps` times: one [container, key] pair of `valid` (every field and array element is a candidate), picked by a
 * seededRandom(`seed`), gets a value from REPLACEMENTS; `decode` then reads the request as JSON text.
 * `valid` is restored after each swap.
 */
export function expectValueSwapsDecodeOrDecodeError(valid: unknown, decode: (body: string) => unknown, options: { seed: number; swaps: number }): void {
  const slots: [Record<string | number, unknown>, string | number][] = [];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Object.keys(node)) {
      slots.push([node as Record<string, unknown>, Array.isArray(node) ? Number(key) : key]);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(valid);
  const random = seededRandom(options.seed);
  const next = (n: number) => Math.floor(random() * n);
  for (let i = 0; i < options.swaps; i++) {
    const [container, key] = slots[next(slots.length)];
    const saved = container[key];
    container[key] = REPLACEMENTS[next(REPLACEMENTS.length)];
    try {
      decode(JSON.stringify(valid));
    } catch (err) {
      if (!(err instanceof DecodeError)) throw new Error(`replacing ${String(key)}: ${err}`);
    } finally {
      container[key] = saved;
    }
  }
}
