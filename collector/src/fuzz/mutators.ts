/**
 * Byte- and structure-level mutations of a valid request. Byte mutations target the protobuf wire
 * format (varints, tags, lengths); structure mutations work on the parsed JSON before it is encoded.
 */
import type { Prng } from './prng.ts';

/** Values that have broken decoders, mappers or stores somewhere: put in any JSON position. */
export const HOSTILE_VALUES: unknown[] = [
  null, true, -1, 0, 2 ** 63, -(2 ** 63), 1e308, -1e308, 'NaN', 'Infinity', '-Infinity', '18446744073709551615',
  '18446744073709551616', '-9223372036854775809', '9223372036854775807', '', '\u0000', 'a\u0000b', '\ud800', '💥'.repeat(3),
  'zz', '0'.repeat(32), '0'.repeat(16), 'ABCDEF', '__proto__', {}, [], [[[]]], { stringValue: '\u0000' }, { intValue: 'x' },
  { kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'p' } }] } }, { arrayValue: {} }, { bytesValue: '!!!' },
];

const TAG_BYTES = [0x08, 0x0a, 0x10, 0x12, 0x1a, 0x22, 0x2a, 0x31, 0x39, 0x3a, 0x4a, 0x5a, 0x6a, 0x7a];

/** One random wire-level mutation of `input` (a copy). */
export function mutateBytes(rng: Prng, input: Uint8Array): { bytes: Uint8Array; how: string } {
  const bytes = Buffer.from(input);
  const at = rng.int(Math.max(bytes.length, 1));
  switch (rng.int(9)) {
    case 0: {
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips && bytes.length > 0; i++) bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
      return { bytes, how: `${flips} bit flip(s)` };
    }
    case 1:
      return { bytes: bytes.subarray(0, at), how: `truncated at ${at}` };
    case 2: {
      const len = 1 + rng.int(64);
      return { bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + len), bytes.subarray(at)]), how: `duplicated ${len} bytes at ${at}` };
    }
    case 3: {
      const len = 1 + rng.int(64);
      return { bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)]), how: `deleted ${len} bytes at ${at}` };
    }
    case 4: // an 11-byte varint (max is 10) or one that sets bits past 64
      return { bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from([0x08, ...Array(rng.int(2) ? 10 : 9).fill(0xff), 0x7f]), bytes.subarray(at)]), how: `overlong varint at ${at}` };
    case 5: {
      // a tag byte's wire type changed (e.g. a LEN field read as fixed64, or the deprecated group types)
      const tags = [...bytes.keys()].filter((i) => TAG_BYTES.includes(bytes[i]));
      const i = tags.length > 0 ? rng.pick(tags) : at;
      bytes[i] = (bytes[i] & ~7) | rng.int(8);
      return { bytes, how: `wire type changed at ${i}` };
    }
    case 6: {
      // a length that runs past the end of the message: 0x0a (field 1, LEN) then a huge varint
      const huge = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
      return { bytes: Buffer.concat([bytes.subarray(0, at), huge, bytes.subarray(at, at + rng.int(16))]), how: `length past end at ${at}` };
    }
    case 7:
      return { bytes: Buffer.concat([bytes.subarray(0, at), rng.bytes(1 + rng.int(32)), bytes.subarray(at)]), how: `random bytes inserted at ${at}` };
    default:
      return { bytes: Buffer.concat([bytes, bytes.subarray(0, at)]), how: `prefix of ${at} bytes appended` };
  }
}

/** Every object and array inside `root` (iteratively), to pick a mutation target. */
function containers(root: unknown): unknown[] {
  const out: unknown[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    out.push(value);
    for (const child of Object.values(value)) stack.push(child);
  }
  return out;
}

/** 1-4 structural mutations of a parsed JSON request, in place; returns what was done. */
export function mutateJson(rng: Prng, root: unknown): string {
  const targets = containers(root);
  const done: string[] = [];
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const target = rng.pick(targets) as Record<string, unknown>;
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const key = rng.pick(keys);
    switch (rng.int(4)) {
      case 0:
        delete target[key];
        done.push(`deleted ${key}`);
        break;
      case 1:
        target[key] = rng.pick(HOSTILE_VALUES);
        done.push(`${key} = ${JSON.stringify(target[key])}`);
        break;
      case 2:
        if (Array.isArray(target)) target.push(...target.slice(0, 1 + rng.int(3)));
        else target[key] = [target[key], target[key]];
        done.push(`duplicated ${key}`);
        break;
      default:
        if (typeof target[key] === 'string') target[key] = String(target[key]).repeat(1 + rng.int(100));
        else target[`${key}_extra`] = target[key];
        done.push(`grew ${key}`);
    }
  }
  return done.join(', ');
}
