import { clientNetwork, ipv6Bytes } from 'src/common/ip-address';

describe('clientNetwork: the client a per-address limit counts', () => {
  it('is an IPv4 address itself, written as an IPv4-mapped IPv6 address too', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::FFFF:cb00:7107')).toBe('203.0.113.7');
  });

  it("is an IPv6 address's /64, however the address is written", () => {
    const net = '2001:db8:1:2::/64';
    for (const ip of [
      '2001:db8:1:2::1',
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0DB8:0001:0002:0000:0000:0000:0009',
      '2001:db8:1:2:a:b:c:d%eth0',
      '2001:db8:1:2::203.0.113.7',
    ])
      expect([ip, clientNetwork(ip)]).toEqual([ip, net]);
    expect(clientNetwork('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
  });

  it('counts what is no address as given', () => {
    expect(clientNetwork('unknown')).toBe('unknown');
    expect(clientNetwork('')).toBe('');
  });
});

describe('ipv6Bytes', () => {
  it('reads every form to 16 bytes, and refuses what is not IPv6', () => {
    expect(ipv6Bytes('::')).toEqual(Array(16).fill(0));
    expect(ipv6Bytes('fe80::1%eth0')).toEqual([0xfe, 0x80, ...Array(13).fill(0), 1]);
    expect(ipv6Bytes('::ffff:1.2.3.4')).toEqual([...Array(10).fill(0), 0xff, 0xff, 1, 2, 3, 4]);
    expect(ipv6Bytes('1.2.3.4')).toBeNull();
    expect(ipv6Bytes('2001:db8::1::2')).toBeNull();
  });
});
