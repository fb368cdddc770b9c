import type { CourierStatus, ProofOfDelivery } from './courier-adapter';
import { cutLine, payloadText } from './payload-text';

/** Links kept per kind: a courier's proof has one photo or a few. */
const MAX_LINKS = 5;
const MAX_LINK_LENGTH = 1000;

/**
 * A proof of delivery from what a courier's line of `status` holds, or undefined when it holds nothing or is
 * no delivery (nor a return's receipt): names as one bounded line each, links only as absolute http(s) URLs
 * (anything else, such as a `javascript:` one, is dropped: the dashboard offers them as links).
 */
export function proofOfDelivery(
  status: CourierStatus | null | undefined,
  fields: {
    receiver?: unknown;
    relation?: unknown;
    photos?: unknown;
    signatures?: unknown;
  },
): ProofOfDelivery | undefined {
  if (status !== 'delivered' && status !== 'returned') return undefined;
  const receiver = nameOf(fields.receiver);
  const relation = nameOf(fields.relation);
  const photoUrls = links(fields.photos);
  const signatureUrls = links(fields.signatures);
  const pod: ProofOfDelivery = {
    ...(receiver ? { receiver } : {}),
    ...(relation ? { relation } : {}),
    ...(photoUrls.length ? { photoUrls } : {}),
    ...(signatureUrls.length ? { signatureUrls } : {}),
  };
  return Object.keys(pod).length ? pod : undefined;
}

/** A name as one bounded line, without control or text-direction characters (shown to the seller). */
const nameOf = (value: unknown) => cutLine(payloadText(value).replace(/[\p{Cc}\p{Cf}]+/gu, ' '), 100);

/** The http(s) links among a value: one link, a list of them, or objects holding one (`url`, `uri`). */
function links(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value == null ? [] : [value];
  const out: string[] = [];
  for (const item of list) {
    const text = payloadText(
      item !== null && typeof item === 'object'
        ? ((item as Record<string, unknown>).url ?? (item as Record<string, unknown>).uri)
        : item,
    ).trim();
    if (!text || text.length > MAX_LINK_LENGTH) continue;
    const url = URL.canParse(text) ? new URL(text) : null;
    if (url && (url.protocol === 'https:' || url.protocol === 'http:') && !out.includes(url.href))
      out.push(url.href);
    if (out.length === MAX_LINKS) break;
  }
  return out;
}
