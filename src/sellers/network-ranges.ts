import { ipv4Bytes, ipv6Bytes } from 'src/common/ip-address';

/**
 * Where an IP address points, for deciding whether Kirim may send a webhook there: `public` (anywhere on
 * the internet), `private` (this machine or a private network: allowed only where private networks are
 * allowed) or `forbidden` (never: unspecified, multicast, link-local and cloud metadata, reserved and
 * documentation ranges, tunnels whose real target cannot be checked).
 */
export type AddressClass =
  { kind: 'public' } | { kind: 'private'; why: string } | { kind: 'forbidden'; why: string };

const PUBLIC: AddressClass = { kind: 'public' };
const privateAddress = (why: string): AddressClass => ({ kind: 'private', why });
const forbidden = (why: string): AddressClass => ({ kind: 'forbidden', why });

function classifyV4([a, b, c, d]: number[]): AddressClass {
  if (a === 0) return forbidden('an unspecified address');
  if (a === 127) return privateAddress('a loopback address');
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
    return privateAddress('a private address');
  if (a === 169 && b === 254) return forbidden('a link-local or cloud metadata address');
  // Alibaba Cloud's metadata service sits inside the carrier-grade NAT range.
  if (a === 100 && b === 100 && c === 100 && d === 200) return forbidden('a cloud metadata address');
  if (a === 100 && b >= 64 && b <= 127) return privateAddress('a carrier-grade NAT address');
  if (a >= 224 && a <= 239) return forbidden('a multicast address');
  if (a >= 240) return forbidden('a reserved or broadcast address');
  if (
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 88 && c === 99) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  )
    return forbidden('a reserved address');
  return PUBLIC;
}

function classifyV6(x: number[]): AddressClass {
  const zeroUpTo = (n: number) => x.slice(0, n).every((v) => v === 0);
  const embedded = (from: number) => classifyV4(x.slice(from, from + 4));
  if (zeroUpTo(16)) return forbidden('an unspecified address');
  if (zeroUpTo(15) && x[15] === 1) return privateAddress('a loopback address');
  // IPv4-mapped (::ffff:a.b.c.d) reaches the IPv4 address itself.
  if (zeroUpTo(10) && x[10] === 0xff && x[11] === 0xff) return embedded(12);
  if (zeroUpTo(12)) return forbidden('a deprecated IPv4-compatible address');
  // NAT64 (64:ff9b::/96) translates to the embedded IPv4 address; the local-use prefix is private plumbing.
  if (x[0] === 0 && x[1] === 0x64 && x[2] === 0xff && x[3] === 0x9b) {
    return x.slice(4, 12).every((v) => v === 0) ? embedded(12) : forbidden('a local NAT64 address');
  }
  if (x[0] === 0x20 && x[1] === 0x02) {
    const inner = embedded(2); // 6to4 carries its IPv4 relay target in bits 16-47
    return inner.kind === 'public' ? inner : forbidden('a 6to4 address of a non-public IPv4 address');
  }
  // 2001::/23 is IETF protocol space: Teredo (whose target cannot be checked), benchmarking, ORCHID…
  if (x[0] === 0x20 && x[1] === 0x01 && x[2] <= 0x01) return forbidden('a reserved address');
  // Documentation: 2001:db8::/32, and 3fff::/20 (RFC 9637).
  if (
    (x[0] === 0x20 && x[1] === 0x01 && x[2] === 0x0d && x[3] === 0xb8) ||
    (x[0] === 0x3f && x[1] === 0xff && (x[2] & 0xf0) === 0)
  )
    return forbidden('a documentation address');
  if (x[0] === 0xff) return forbidden('a multicast address');
  if (x[0] === 0xfe && (x[1] & 0xc0) === 0x80) return forbidden('a link-local address');
  if (x[0] === 0xfe && (x[1] & 0xc0) === 0xc0) return forbidden('a site-local address');
  if ((x[0] & 0xfe) === 0xfc) {
    // AWS's IPv6 metadata service, fd00:ec2::254, is a unique-local address.
    const awsMetadata = [0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54];
    return x.every((v, i) => v === awsMetadata[i])
      ? forbidden('a cloud metadata address')
      : privateAddress('a private (unique-local) address');
  }
  // Outside global unicast (2000::/3): discard-only, unassigned and reserved space.
  if ((x[0] & 0xe0) !== 0x20) return forbidden('a reserved address');
  return PUBLIC;
}

/** Classifies an IPv4 or IPv6 address in any textual form Node's resolvers and `URL` produce. */
export function classifyIp(ip: string): AddressClass {
  const v4 = ipv4Bytes(ip);
  if (v4) return classifyV4(v4);
  const v6 = ipv6Bytes(ip);
  if (v6) return classifyV6(v6);
  return forbidden('not an IP address');
}
