import { classifyIp } from 'src/sellers/network-ranges';

describe('classifyIp', () => {
  it.each([
    '93.184.215.14',
    '172.32.0.1',
    '100.128.0.1',
    '8.8.8.8',
    '::ffff:93.184.215.14',
    '64:ff9b::5db8:d70e',
    '2002:5db8:d70e::1',
    '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
    '2001:200::1', // just past 2001::/23
    '3fff:1000::1', // just past 3fff::/20
  ])('counts %s as public', (ip) => {
    expect(classifyIp(ip)).toEqual({ kind: 'public' });
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.255.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['fd12::1', 'unique-local'],
  ])('counts %s as a private network (%s)', (ip, why) => {
    expect(classifyIp(ip)).toEqual({ kind: 'private', why: expect.stringContaining(why) });
  });

  it.each([
    '0.0.0.0',
    '0.1.2.3',
    '169.254.169.254',
    '100.100.100.200',
    'fd00:ec2::254',
    '224.0.0.251',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '192.0.2.1',
    '198.18.0.1',
    '::',
    '::10.0.0.1',
    'fe80::1%eth0',
    'fec0::1',
    'ff02::1',
    '2001::1',
    '2001:2::1', // benchmarking: all of 2001::/23 is IETF protocol space
    '2001:10::1',
    '2001:1ff::1',
    '2001:db8::1',
    '3fff::1', // documentation (RFC 9637)
    '3fff:fff::1',
    '64:ff9b:1::1',
    '2002:a9fe:a9fe::1',
    '100::1',
    'not-an-ip',
  ])('never allows %s', (ip) => {
    expect(classifyIp(ip).kind).toBe('forbidden');
  });
});
