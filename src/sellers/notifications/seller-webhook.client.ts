import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SystemClock } from 'src/common/clock';
import { AppError } from 'src/common/errors/app-error';
import { ResolvedAddress, VettedWebhookTarget, WebhookTargetPolicy } from '../webhook-target-policy';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature';

/** How one attempt went: a 2xx answer is delivered; anything else says why not. */
export interface WebhookAttempt {
  delivered: boolean;
  responseCode: number | null;
  error: string | null;
}

export interface OutgoingEvent {
  eventId: string;
  type: string;
  body: string;
}

/** Connects to the addresses the policy vetted, never to a fresh answer for the name (DNS rebinding). */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((a) => !family || a.family === family);
    const list = usable.length ? usable : addresses;
    if (options.all) callback(null, list);
    else callback(null, list[0].address, list[0].family);
  };
}

/** The shortest start of the secret (`whsec_` and four more) taken for it at the end of an answer. */
const MIN_SECRET_PIECE = 10;

/** Printable, one line, at most `max` characters, with the seller's secret cut out should a receiver echo it. */
function snippet(text: string, max: number, secret: string): string {
  let redacted = text.split(secret).join('[secret]');
  // An answer that stops partway through the secret leaves its start at the end: that goes too.
  for (let n = Math.min(secret.length - 1, redacted.length); n >= MIN_SECRET_PIECE; n -= 1)
    if (redacted.endsWith(secret.slice(0, n))) {
      redacted = `${redacted.slice(0, -n)}[secret]`;
      break;
    }
  const clean = redacted
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

const errorCode = (e: unknown): string => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

/**
 * Sends one signed seller webhook: vets the URL again (its name may resolve elsewhere now), connects to a
 * vetted address only, follows no redirect, and gives up after WEBHOOK_TIMEOUT_MS. Never throws for
 * what the receiver or the network does: the attempt says what happened.
 */
@Injectable()
export class SellerWebhookClient {
  constructor(
    private readonly policy: WebhookTargetPolicy,
    private readonly config: AppConfig,
    /** The signature's `t` is real time, since receivers check it against their own clocks. */
    private readonly realClock: SystemClock,
  ) {}

  async send(url: string, secret: string, event: OutgoingEvent): Promise<WebhookAttempt> {
    let target: VettedWebhookTarget;
    try {
      target = await this.policy.vet(url);
    } catch (e) {
      if (e instanceof AppError)
        return { delivered: false, responseCode: null, error: `not sent: ${e.message}` };
      throw e;
    }
    const headers: OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(event.body),
      'user-agent': 'Kirim-Webhooks/1.0',
      'x-kirim-event-id': event.eventId,
      'x-kirim-event-type': event.type,
      [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secret, event.body, this.realClock.now()),
    };
    return this.post(target, headers, event.body, secret);
  }

  private post(
    target: VettedWebhookTarget,
    headers: OutgoingHttpHeaders,
    body: string,
    secret: string,
  ): Promise<WebhookAttempt> {
    const { timeoutMs } = this.config.webhooks;
    const maxSnippet = this.config.business.sellerWebhooks.responseSnippetChars;
    const https = target.url.protocol === 'https:';
    return new Promise((resolve) => {
      let responseCode: number | null = null;
      let settled = false;
      const request = (https ? httpsRequest : httpRequest)({
        method: 'POST',
        host: target.hostname,
        port: target.port,
        path: `${target.url.pathname}${target.url.search}`,
        headers,
        // A fresh connection per delivery: a pooled socket could outlive the vetting it was made under.
        agent: false,
        lookup: pinnedLookup(target.addresses),
        ...(https && !isIP(target.hostname) ? { servername: target.hostname } : {}),
      });
      const settle = (attempt: WebhookAttempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        resolve(attempt);
      };
      const timer = setTimeout(
        () => settle({ delivered: false, responseCode, error: `no answer within ${timeoutMs} ms` }),
        timeoutMs,
      );
      request.on('error', (e) => {
        const code = errorCode(e);
        settle({
          delivered: false,
          responseCode,
          error: snippet(`could not send: ${code ? `${code} ` : ''}${e.message}`, 300, secret),
        });
      });
      request.on('response', (res: IncomingMessage) => {
        responseCode = res.statusCode ?? 0;
        if (responseCode >= 200 && responseCode < 300) {
          settle({ delivered: true, responseCode, error: null });
          return;
        }
        // Only a short piece of the answer is read and kept: enough to say why, never a dump.
        let text = '';
        const done = () => {
          const what = responseCode! >= 300 && responseCode! < 400 ? ' (redirects are not followed)' : '';
          const piece = snippet(text, maxSnippet, secret);
          settle({
            delivered: false,
            responseCode,
            error: `answered ${responseCode}${what}${piece ? `: ${piece}` : ''}`,
          });
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          // Read past the cut by the secret's length, so a secret echoed across it is seen whole.
          if (text.length >= maxSnippet + 1 + secret.length) done();
        });
        res.on('end', done);
        res.on('error', done);
      });
      request.end(body);
    });
  }
}
