/**
 * The key a per-IP limit counts under: the IPv4 address, or the /64 network of an IPv6 address, since
 * one IPv6 client commonly holds a whole /64 and could otherwise rotate addresses past any limit.
 */
import { isIPv6 } from 'node:net';

/** The first four groups of an IPv6 address, written out; IPv4 (also IPv4-mapped) as it is. */
export function clientNetwork(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
