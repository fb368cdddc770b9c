import { createSocket } from 'node:dgram';
import { promises as systemDns } from 'node:dns';
import { loadConfig } from 'config';
import {
  WebhookDnsUnavailableError,
  WebhookHostUnresolvableError,
  WebhookTargetForbiddenError,
  WebhookUrlInvalidError,
} from 'src/sellers/sellers.errors';
import { WebhookTargetPolicy } from 'src/sellers/webhook-target-policy';
import { TestDnsServer } from '../../support/dns-server';

const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

/** The promise's outcome if it has settled by the next turn of the event loop, else 'still waiting'. */
const settledNow = (p: Promise<unknown>) =>
  Promise.race([p, new Promise((resolve) => setImmediate(() => resolve('still waiting')))]);

describe('WebhookTargetPolicy (real DNS over UDP from a test server)', () => {
  let dns: TestDnsServer;
  let strict: WebhookTargetPolicy;
  let lenient: WebhookTargetPolicy;

  beforeAll(async () => {
    dns = await TestDnsServer.start({
      'hook.example.id': [PUBLIC_V4, PUBLIC_V6],
      'internal.example.id': ['10.0.0.5'],
      'mixed.example.id': [PUBLIC_V4, '127.0.0.1'],
      'mixed6.example.id': [PUBLIC_V4, 'fd12:3456::1'],
      'metadata.example.id': ['169.254.169.254'],
      'v6metadata.example.id': ['fd00:ec2::254'],
      'mapped.example.id': ['::ffff:7f00:1'],
      'cgnat.example.id': ['100.64.1.1'],
      'noaddress.example.id': [],
    });
    const config = (allow: string) =>
      loadConfig({ WEBHOOK_DNS_SERVERS: dns.address, WEBHOOK_ALLOW_PRIVATE_NETWORKS: allow }, {});
    strict = new WebhookTargetPolicy(config('false'));
    lenient = new WebhookTargetPolicy(config('true'));
  });
  afterAll(() => dns.close());

  it('returns every resolved address of an allowed host, for the sender to connect to', async () => {
    const target = await strict.vet('https://hook.example.id:8443/kirim?x=1');
    expect(target.hostname).toBe('hook.example.id');
    expect(target.port).toBe(8443);
    expect(target.addresses).toEqual([
      { address: PUBLIC_V4, family: 4 },
      { address: PUBLIC_V6, family: 6 },
    ]);
  });

  it.each([
    ['loopback', 'https://127.0.0.1/hook'],
    ['decimal loopback', 'https://2130706433/hook'],
    ['hex loopback', 'https://0x7f000001/hook'],
    ['dotted hex loopback', 'https://0x7f.0.0.1/hook'],
    ['octal loopback', 'https://0177.0.0.1/hook'],
    ['short loopback', 'https://127.1/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped metadata, hex', 'https://[::ffff:a9fe:a9fe]/latest/meta-data'],
    ['IPv4-compatible', 'https://[::10.0.0.1]/hook'],
    ['NAT64 of a private address', 'https://[64:ff9b::10.0.0.1]/hook'],
    ['6to4 of loopback', 'https://[2002:7f00:1::1]/hook'],
    ['private 10/8', 'https://10.1.2.3/hook'],
    ['private 172.16/12', 'https://172.16.5.4/hook'],
    ['private 192.168/16', 'https://192.168.0.10/hook'],
    ['carrier-grade NAT', 'https://100.64.0.1/hook'],
    ['link-local', 'https://169.254.10.20/hook'],
    ['AWS/GCP metadata', 'https://169.254.169.254/latest/meta-data'],
    ['AWS IPv6 metadata', 'https://[fd00:ec2::254]/latest'],
    ['Alibaba metadata', 'https://100.100.100.200/latest'],
    ['unique-local IPv6', 'https://[fd12:3456::1]/hook'],
    ['IPv6 link-local', 'https://[fe80::1]/hook'],
    ['unspecified', 'https://0.0.0.0/hook'],
    ['IPv6 unspecified', 'https://[::]/hook'],
    ['multicast', 'https://224.0.0.1/hook'],
    ['IPv6 multicast', 'https://[ff02::1]/hook'],
    ['broadcast', 'https://255.255.255.255/hook'],
  ])('refuses %s (%s), naming its kind', async (_what, url) => {
    await expect(strict.vet(url)).rejects.toBeInstanceOf(WebhookTargetForbiddenError);
  });

  // A name is answered as one that does not resolve: its answer must not tell which internal names exist.
  it.each([
    ['a name resolving to a private address', 'https://internal.example.id/hook'],
    ['a name with one loopback address among public ones', 'https://mixed.example.id/hook'],
    ['a name with one unique-local AAAA among public ones', 'https://mixed6.example.id/hook'],
    ['a name resolving to metadata', 'https://metadata.example.id/hook'],
    ['a name resolving to IPv6 metadata', 'https://v6metadata.example.id/hook'],
    ['a name resolving to an IPv4-mapped loopback', 'https://mapped.example.id/hook'],
    ['a name resolving to carrier-grade NAT', 'https://cgnat.example.id/hook'],
  ])('refuses %s (%s) as a name that does not resolve', async (_what, url) => {
    await expect(strict.vet(url)).rejects.toBeInstanceOf(WebhookHostUnresolvableError);
  });

  it('refuses http, other schemes and credentials in the URL, naming webhookUrl', async () => {
    for (const url of [
      'http://hook.example.id/x',
      'ftp://hook.example.id/x',
      'https://user:pw@hook.example.id/x',
    ]) {
      const e = await strict.vet(url).catch((err: unknown) => err);
      expect([url, e instanceof WebhookUrlInvalidError]).toEqual([url, true]);
      expect((e as WebhookUrlInvalidError).details).toEqual([
        { field: 'webhookUrl', message: expect.any(String) },
      ]);
    }
  });

  it('refuses a host that does not resolve, or resolves to no address', async () => {
    await expect(strict.vet('https://nowhere.example.net/x')).rejects.toBeInstanceOf(
      WebhookHostUnresolvableError,
    );
    await expect(strict.vet('https://noaddress.example.id/x')).rejects.toBeInstanceOf(
      WebhookHostUnresolvableError,
    );
  });

  it('refuses on the next check a host whose DNS answer has moved to a private address', async () => {
    dns.set('moving.example.id', [PUBLIC_V4]);
    expect((await strict.vet('https://moving.example.id/hook')).addresses).toEqual([
      { address: PUBLIC_V4, family: 4 },
    ]);
    dns.set('moving.example.id', ['10.20.30.40']);
    await expect(strict.vet('https://moving.example.id/hook')).rejects.toBeInstanceOf(
      WebhookHostUnresolvableError,
    );
  });

  it('with private networks allowed: local receivers over http or https, never metadata; public stays https', async () => {
    for (const url of [
      'http://127.0.0.1:9999/hook',
      'http://[::1]:9999/hook',
      'https://internal.example.id/hook',
      'http://internal.example.id/hook',
      'http://cgnat.example.id/hook',
    ])
      expect((await lenient.vet(url)).addresses.length).toBe(1);
    for (const url of ['https://169.254.169.254/', 'https://0.0.0.0/'])
      await expect(lenient.vet(url)).rejects.toBeInstanceOf(WebhookTargetForbiddenError);
    await expect(lenient.vet('https://v6metadata.example.id/')).rejects.toBeInstanceOf(
      WebhookHostUnresolvableError,
    );
    await expect(lenient.vet('http://hook.example.id/x')).rejects.toBeInstanceOf(WebhookUrlInvalidError);
    await expect(lenient.vet('http://mixed.example.id/x')).rejects.toBeInstanceOf(WebhookUrlInvalidError);
  });

  it('answers "try again" when its DNS server cannot be reached', async () => {
    // A port nothing listens on: the resolver's query is refused at once.
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    await new Promise<void>((resolve) => socket.close(resolve));
    const policy = new WebhookTargetPolicy(loadConfig({ WEBHOOK_DNS_SERVERS: `127.0.0.1:${port}` }, {}));
    await expect(policy.vet('https://hook.example.id/x')).rejects.toBeInstanceOf(WebhookDnsUnavailableError);
  });

  /**
   * Runs `check` against a policy on the system resolver, whose lookups `lookup` answers, on fake timers
   * (the deadline's), restoring both after.
   */
  async function withSystemResolver(
    lookup: (host: string) => Promise<unknown>,
    check: (policy: WebhookTargetPolicy, asked: () => unknown[]) => Promise<void>,
  ): Promise<void> {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const spy = jest.spyOn(systemDns, 'lookup').mockImplementation(lookup as never);
    try {
      await check(new WebhookTargetPolicy(loadConfig({}, {})), () => spy.mock.calls);
    } finally {
      spy.mockRestore();
      jest.useRealTimers();
    }
  }
  const never = () => new Promise(() => undefined);

  /** On fake timers: the policy is still waiting on a lookup 1 ms before the 4 s deadline, and "try again" at it. */
  async function expectGivenUpAtTheDeadline(policy: WebhookTargetPolicy): Promise<void> {
    const outcome = policy.vet('https://hook.example.id/x').then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await jest.advanceTimersByTimeAsync(3999);
    expect(await settledNow(outcome)).toBe('still waiting');
    await jest.advanceTimersByTimeAsync(1);
    expect(await settledNow(outcome)).toBeInstanceOf(WebhookDnsUnavailableError);
  }

  it('with the system resolver, a lookup that never answers is "try again" after the resolver’s time, not a wait without end', () =>
    withSystemResolver(never, async (policy, asked) => {
      await expectGivenUpAtTheDeadline(policy);
      expect(asked()).toEqual([['hook.example.id', { all: true, verbatim: true }]]);
    }));

  it('with the system resolver, an answer in time is used and leaves no timer behind', () =>
    withSystemResolver(
      () => Promise.resolve([{ address: PUBLIC_V4, family: 4 }]),
      async (policy) => {
        const target = await policy.vet('https://hook.example.id/x');
        expect(target.addresses).toEqual([{ address: PUBLIC_V4, family: 4 }]);
        expect(jest.getTimerCount()).toBe(0);
      },
    ));

  it('with the system resolver, deliveries to one host share its lookup, and names that never answer hold at most two of the pool’s threads', () =>
    withSystemResolver(
      (host) => (host === 'ok.example.id' ? Promise.resolve([{ address: PUBLIC_V4, family: 4 }]) : never()),
      async (policy, asked) => {
        const vet = (host: string) =>
          policy.vet(`https://${host}/x`).then(
            (t) => t.addresses,
            (e: unknown) => e,
          );
        // A free place: a name that answers is resolved beside one that hangs.
        const first = vet('a.example.id');
        expect(await vet('ok.example.id')).toEqual([{ address: PUBLIC_V4, family: 4 }]);
        const rest = ['a.example.id', 'b.example.id', 'c.example.id'].map(vet);
        await jest.advanceTimersByTimeAsync(4000);
        for (const outcome of [first, ...rest])
          expect(await settledNow(outcome)).toBeInstanceOf(WebhookDnsUnavailableError);
        // 'a' asked once for both deliveries; 'c' waited for a place that never came free.
        expect(asked().map((c) => (c as string[])[0])).toEqual([
          'a.example.id',
          'ok.example.id',
          'b.example.id',
        ]);
      },
    ));

  it('with its own DNS servers, a server that never answers is "try again" after 4 s (c-ares alone waits longer: it doubles its timeout)', async () => {
    // A server that takes every question and answers none.
    const silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    const questions: string[] = [];
    silent.on('message', (msg) => questions.push(msg.toString('hex')));
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const policy = new WebhookTargetPolicy(
        loadConfig({ WEBHOOK_DNS_SERVERS: `127.0.0.1:${silent.address().port}` }, {}),
      );
      await expectGivenUpAtTheDeadline(policy);
      expect(questions.length).toBeGreaterThan(0);
    } finally {
      jest.useRealTimers();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
