import { isIPv4, isIPv6 } from 'node:net';

/** 4 bytes of a dotted IPv4 address, or null. */
export function ipv4Bytes(ip: string): number[] | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').map(Number);
}

/** 16 bytes of an IPv6 address (zone id dropped, a dotted IPv4 tail folded in), or null. */
export function ipv6Bytes(ip: string): number[] | null {
  const zone = ip.indexOf('%');
  let s = (zone < 0 ? ip : ip.slice(0, zone)).toLowerCase();
  if (!isIPv6(s)) return null;
  const lastColon = s.lastIndexOf(':');
  const v4 = ipv4Bytes(s.slice(lastColon + 1));
  if (v4) {
    s = `${s.slice(0, lastColon + 1)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/**
 * The client a per-address limit counts: an IPv4 address itself (an IPv4-mapped IPv6 one too), and an IPv6
 * address's /64. A subscriber is given at least a /64 and may use any address in it, one per request if it
 * likes, so a limit per IPv6 address limits no one. Anything else (no address known) is counted as given.
 */
export function clientNetwork(ip: string): string {
  if (isIPv4(ip)) return ip;
  const x = ipv6Bytes(ip);
  if (!x) return ip;
  if (x.slice(0, 10).every((v) => v === 0) && x[10] === 0xff && x[11] === 0xff) return x.slice(12).join('.');
  const group = (i: number) => ((x[i] << 8) | x[i + 1]).toString(16);
  return `${group(0)}:${group(2)}:${group(4)}:${group(6)}::/64`;
}
