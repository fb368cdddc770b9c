import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { classifyIp } from './network-ranges';
import {
  WebhookDnsUnavailableError,
  WebhookHostUnresolvableError,
  WebhookTargetForbiddenError,
  WebhookUrlInvalidError,
} from './sellers.errors';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** A webhook URL that passed the policy, with the addresses it may be sent to. */
export interface VettedWebhookTarget {
  url: URL;
  /** The host as written in the URL (for the Host header and TLS server name). */
  hostname: string;
  port: number;
  /** Every address the host resolved to, each allowed. Connect to one of these, not to the name again. */
  addresses: ResolvedAddress[];
}

/** Resolver errors that mean "our DNS could not answer", not "the name does not exist". */
const DNS_UNAVAILABLE = new Set(['ETIMEOUT', 'ECONNREFUSED', 'ECANCELLED', 'EAI_AGAIN', 'EREFUSED']);

type Resolve = (host: string) => Promise<ResolvedAddress[]>;

/** How long a name is asked about: 2 s a try, twice (the configured servers' own settings as well). */
const RESOLVE_TRY_MS = 2000;
const RESOLVE_TRIES = 2;
const RESOLVE_DEADLINE_MS = RESOLVE_TRY_MS * RESOLVE_TRIES;
/** Names looked up on the system resolver at once (libuv's pool has 4 threads, shared with password hashing). */
const SYSTEM_LOOKUPS_AT_ONCE = 2;

/**
 * A system lookup, given up on after `ms` as a timeout (ETIMEOUT, "DNS unavailable": the delivery is tried
 * again later): getaddrinfo has only the host's own resolv.conf timeouts.
 */
function withinDeadline<T>(answer: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no DNS answer within ${ms} ms`), { code: 'ETIMEOUT' })),
      ms,
    );
  });
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}

/** Names waiting for a system lookup at most; past that, a name is "DNS unavailable" at once. */
const SYSTEM_LOOKUPS_QUEUED = 64;

type SystemLookup = (host: string) => Promise<{ address: string; family: number }[]>;

const timedOut = (what: string) => Object.assign(new Error(what), { code: 'ETIMEOUT' });

/**
 * The system resolver: getaddrinfo on libuv's thread pool, which cannot be cancelled, so a name that never
 * answers holds its thread past the deadline. Deliveries to one host share its lookup, and at most
 * SYSTEM_LOOKUPS_AT_ONCE names are looked up at once (others wait their turn within their deadline): a DNS
 * outage cannot take the whole pool from password hashing and file work. A name every caller has given up
 * on is dropped from the line, not looked up when its turn comes: an owner saving URLs of a name that never
 * answers, request after request, queued lookups that each took a turn long after their callers left, and
 * every other seller's deliveries waited behind them ("DNS unavailable").
 */
export function systemResolver(
  lookupHost: SystemLookup = (host) => dns.lookup(host, { all: true, verbatim: true }),
): Resolve {
  const inFlight = new Map<string, { answer: Promise<ResolvedAddress[]>; wantedUntil: number }>();
  /** Names waiting their turn: `wake(true)` gives one the lookup freed, `wake(false)` drops it from the line. */
  const waiting: { wake: (turn: boolean) => void; wanted: () => number }[] = [];
  let running = 0;
  const nextTurn = () => waiting.shift()?.wake(true);
  // Names every caller gave up on leave the line when it is counted: left in it until their turn, they
  // filled it, and a seller saving URLs of names that never answer kept every other's lookups refused.
  const dropAbandoned = () => {
    const now = Date.now();
    for (let i = waiting.length - 1; i >= 0; i -= 1)
      if (now >= waiting[i].wanted()) waiting.splice(i, 1)[0].wake(false);
  };
  const lookup = async (host: string, wanted: () => number): Promise<ResolvedAddress[]> => {
    if (running >= SYSTEM_LOOKUPS_AT_ONCE) dropAbandoned();
    if (running >= SYSTEM_LOOKUPS_AT_ONCE && waiting.length >= SYSTEM_LOOKUPS_QUEUED)
      throw timedOut(`${waiting.length} names already wait for a DNS lookup`);
    while (running >= SYSTEM_LOOKUPS_AT_ONCE) {
      const turn = await new Promise<boolean>((wake) => waiting.push({ wake, wanted }));
      if (Date.now() >= wanted()) {
        // Its turn came after every caller gave up (the turn goes to the next), or it was dropped.
        if (turn) nextTurn();
        throw timedOut('no caller waits for this DNS answer any more');
      }
    }
    running += 1;
    try {
      return (await lookupHost(host)).map((a) => ({
        address: a.address,
        family: a.family === 6 ? 6 : 4,
      }));
    } finally {
      running -= 1;
      nextTurn();
    }
  };
  return (host) => {
    const wantedUntil = Date.now() + RESOLVE_DEADLINE_MS;
    let shared = inFlight.get(host);
    if (shared) shared.wantedUntil = Math.max(shared.wantedUntil, wantedUntil);
    else {
      const entry = { wantedUntil, answer: Promise.resolve<ResolvedAddress[]>([]) };
      entry.answer = lookup(host, () => entry.wantedUntil).finally(() => inFlight.delete(host));
      inFlight.set(host, entry);
      shared = entry;
    }
    return withinDeadline(shared.answer, RESOLVE_DEADLINE_MS);
  };
}

/** WEBHOOK_DNS_SERVERS given: ask those servers for A and AAAA records; otherwise the system resolver. */
function resolverFor(config: AppConfig): Resolve {
  const servers = config.webhooks.dnsServers;
  if (!servers) return systemResolver();
  return async (host) => {
    // A resolver per name, cancelled at the deadline: its queries end there (ECANCELLED) instead of
    // running on, and another name's are not cancelled with them.
    const resolver = new dns.Resolver({ timeout: RESOLVE_TRY_MS, tries: RESOLVE_TRIES });
    resolver.setServers(servers);
    const deadline = setTimeout(() => resolver.cancel(), RESOLVE_DEADLINE_MS);
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]).finally(
      () => clearTimeout(deadline),
    );
    const found: ResolvedAddress[] = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (!found.length) {
      const failed = [v4, v6].find(
        (r) => r.status === 'rejected' && DNS_UNAVAILABLE.has(errorCode(r.reason)),
      );
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
    return found;
  };
}

const errorCode = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

/**
 * Decides where seller webhooks may go (server-side request forgery guard): https only, no credentials in
 * the URL, and every address the host resolves to on the public internet. WEBHOOK_ALLOW_PRIVATE_NETWORKS
 * also admits loopback and private networks (plain http included), for local receivers; metadata,
 * link-local, multicast and reserved addresses stay refused. Used when the URL is saved and again before
 * every delivery, since a name can resolve differently later.
 */
@Injectable()
export class WebhookTargetPolicy {
  private readonly resolve: Resolve;
  private readonly allowPrivate: boolean;

  constructor(config: AppConfig) {
    this.resolve = resolverFor(config);
    this.allowPrivate = config.webhooks.allowPrivateNetworks;
  }

  /**
   * Checks a webhook URL and resolves its host now.
   * @throws WebhookUrlInvalidError VALIDATION_FAILED (not https, credentials in the URL)
   * @throws WebhookTargetForbiddenError SELLERS_WEBHOOK_TARGET_FORBIDDEN (an address that is not allowed)
   * @throws WebhookHostUnresolvableError SELLERS_WEBHOOK_HOST_UNRESOLVABLE (a name that does not resolve, or
   *   resolves to an address that is not allowed: the two are not told apart)
   * @throws WebhookDnsUnavailableError SELLERS_WEBHOOK_DNS_UNAVAILABLE (our resolver did not answer)
   */
  async vet(rawUrl: string): Promise<VettedWebhookTarget> {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      // Not a URL at all (an IPv6 zone id such as fe80::1%eth0 is not one either), whatever its scheme.
      throw new WebhookUrlInvalidError('must be a valid URL');
    }
    const https = url.protocol === 'https:';
    if (!https && !(this.allowPrivate && url.protocol === 'http:'))
      throw new WebhookUrlInvalidError('must be an https URL');
    if (url.username || url.password)
      throw new WebhookUrlInvalidError('must not contain credentials (user:password@)');
    // URL has already turned decimal, hex and octal IPv4 spellings into dotted form; IPv6 keeps brackets.
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!hostname) throw new WebhookUrlInvalidError('must name a host');

    const literal = isIP(hostname) ? [{ address: hostname, family: isIP(hostname) as 4 | 6 }] : null;
    const addresses = literal ?? (await this.lookup(hostname));
    for (const { address } of addresses) {
      const kind = classifyIp(address);
      if (kind.kind === 'forbidden' || (kind.kind === 'private' && !this.allowPrivate)) {
        // A name is answered as one that does not resolve: told apart, the answer would let a seller map
        // the names of Kirim's own network (which exist, and what kind of address each has).
        if (addresses !== literal) throw new WebhookHostUnresolvableError(hostname);
        throw new WebhookTargetForbiddenError(kind.why);
      }
      if (kind.kind === 'public' && !https)
        throw new WebhookUrlInvalidError(
          'must be an https URL (plain http is for private-network receivers)',
        );
    }
    return { url, hostname, port: Number(url.port) || (https ? 443 : 80), addresses };
  }

  private async lookup(hostname: string): Promise<ResolvedAddress[]> {
    let found: ResolvedAddress[];
    try {
      found = await this.resolve(hostname);
    } catch (e) {
      if (DNS_UNAVAILABLE.has(errorCode(e))) throw new WebhookDnsUnavailableError();
      throw new WebhookHostUnresolvableError(hostname);
    }
    if (!found.length) throw new WebhookHostUnresolvableError(hostname);
    return found;
  }
}
