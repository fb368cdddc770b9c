import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { canonicalProvince } from 'src/common/indonesia';
import type { CourierReason, ParcelActionKind } from '../courier-adapter';
import { payloadText } from '../payload-text';
import { formatWib, wibDate } from 'src/common/wib';
import { CourierSandbox, SandboxPush } from './courier-sandbox';
import type { SandboxParcel } from './sandbox.repository';
import type { WorldRejection } from './sandbox-world.service';
import type { ActionRefusal, PlanStep } from './world';

/** The simulated account's tracking-number prefix (tracking_number = prefix + requested number). */
const PREFIX = 'NVID';
const SHIPPER_ID = 70412;
/** Ninja's example token lifetime (ninja.md §2). */
const TOKEN_TTL_SECONDS = 43_200;
const MAX_BULK_TRACKING = 100;
const LEVELS: Record<string, string> = { standard: 'STANDARD', express: 'EXPRESS' };
const LEVEL_NAME: Record<string, string> = { STANDARD: 'Standard', EXPRESS: 'Express' };
const TIMESLOTS = ['09:00-12:00', '09:00-18:00', '09:00-22:00', '12:00-15:00', '15:00-18:00', '18:00-22:00'];
const TIMEZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];
const REQUESTED_TN = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 24 * 3600_000;

/** `delivery_exception.failure_reason` texts the simulated drivers write (free text at Ninja, ninja.md §4.2). */
const FAILURE_TEXT: Partial<Record<CourierReason, string>> = {
  address_problem: 'Address incomplete/unable to locate',
  consignee_absent: 'Nobody at location',
  consignee_unreachable: 'Customer unreachable by phone',
  consignee_refused: 'Customer refused to accept parcel',
  consignee_refused_no_money: 'Customer refused - no cash',
  consignee_refused_did_not_order: 'Customer refused - did not order',
  misroute: 'Parcel misrouted to wrong hub',
};

type Body = Record<string, unknown>;

/** The assumed action resources (see ninja.actions.ts): resource → action, and the order's state in a refusal. */
const ACTION_RESOURCE: Record<string, { kind: ParcelActionKind; method: 'POST' | 'PUT' }> = {
  reschedule: { kind: 'reattempt', method: 'POST' },
  rts: { kind: 'return', method: 'POST' },
  'delivery-address': { kind: 'update_address', method: 'PUT' },
  hold: { kind: 'hold', method: 'POST' },
};
const REFUSED_STATE: Record<ActionRefusal, string> = {
  before_pickup: 'is Pending Pickup',
  delivered: 'is Completed',
  returning: 'is on its Return to Sender leg',
  returned: 'is Returned to Sender',
  cancelled: 'is Cancelled',
  no_failed_attempt: 'has no failed delivery attempt',
};
type Detail = { field: string; reason: string; message: string };

/** `2024-05-01T10:00:00+07:00`: Ninja's ISO timestamps with the Jakarta offset. */
const isoWib = (at: Date) => `${formatWib(at).replace(' ', 'T')}+07:00`;
const obj = (v: unknown): Body => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : {});
const hubName = (place: string) => (place.startsWith('HUB ') ? place : `${place.toUpperCase()} HUB`);

/** How the simulated Ninja writes each world step as a v2 event (ninja.md §4.2). */
function eventsOf(parcel: SandboxParcel, steps: PlanStep[]): Body[] {
  const to = obj(obj(parcel.request).to);
  const events: Body[] = [];
  let transits = 0;
  let rts = false;
  for (const s of steps) {
    const at = new Date(s.at);
    const proof = {
      signature_uri: '',
      image_uris: [] as string[],
      signed_by: {
        name: payloadText(to.name),
        contact: payloadText(to.phone_number),
        relationship: 'Self',
      },
    };
    const hubInfo = { country: 'Indonesia', city: s.location.replace(/^HUB /, ''), hub: hubName(s.location) };
    let event: string;
    let status: string;
    let detail: Body = {};
    rts ||= s.returnLeg === true;
    switch (s.status) {
      case 'created':
        continue; // a drop-off order has no event until Ninja handles it
      case 'pickup_requested':
        event = status = 'Pending Pickup';
        break;
      case 'picked_up':
        [event, status, detail] = [
          'Picked Up, In Transit to Origin Hub',
          'Picked Up',
          { picked_up_information: { state: 'Successful', proof } },
        ];
        break;
      case 'in_transit':
        transits += 1;
        if (s.location.startsWith('HUB '))
          [event, detail] = ['Arrived at Transit Hub', { arrived_at_transit_hub_information: hubInfo }];
        else if (transits === 1)
          [event, detail] = ['Arrived at Origin Hub', { arrived_at_origin_hub_information: hubInfo }];
        else
          [event, detail] = [
            'Arrived at Destination Hub',
            { arrived_at_destination_hub_information: hubInfo },
          ];
        status = event;
        break;
      case 'out_for_delivery':
        [event, status, detail] = [
          'On Vehicle for Delivery',
          'On Vehicle for Delivery',
          { on_vehicle_information: { allow_doorstep_dropoff: false } },
        ];
        break;
      case 'delivered': {
        const collected = s.codCollected ?? parcel.codAmount > 0;
        // cod_collected / cod_amount are assumed fields: the public payloads do not show them.
        const info = {
          state: 'Successful',
          left_in_safe_place: false,
          proof,
          cod_collected: collected,
          cod_amount: collected ? parcel.codAmount : 0,
        };
        [event, status, detail] = [
          'Delivered, Received by Customer',
          'Delivered',
          { delivery_information: info },
        ];
        break;
      }
      case 'delivery_failed': {
        const last = s.reason === 'max_attempts';
        const exception = {
          state: 'Failed',
          failure_reason: FAILURE_TEXT[s.reason ?? 'consignee_absent'] ?? 'Unable to deliver',
          rescheduled_date: last ? null : wibDate(new Date(at.getTime() + DAY)),
          is_liable: false,
          proof,
        };
        [event, status, detail] = [
          last ? 'Delivery Exception, Max Attempts Reached' : 'Delivery Exception, Pending Reschedule',
          'Delivery Exception',
          { delivery_exception: exception },
        ];
        break;
      }
      case 'returning_to_sender':
        [event, status, detail] = [
          'Delivery Exception, Return to Sender Initiated',
          'Delivery Exception',
          { rts_reason: (s.reason && FAILURE_TEXT[s.reason]) || 'Maximum delivery attempts reached' },
        ];
        break;
      case 'returned':
        event = status = 'Returned to Sender';
        break;
      case 'cancelled':
        [event, status, detail] = [
          'Cancelled',
          'Cancelled',
          { cancellation_information: { reason: 'Cancelled by shipper' } },
        ];
        break;
      case 'exception':
        if (s.reason === 'lost' || s.reason === 'damaged') {
          [event, status] = [
            s.reason === 'lost' ? 'Delivery Exception, Parcel Lost' : 'Delivery Exception, Parcel Damaged',
            'Delivery Exception',
          ];
        } else {
          [event, status, detail] = [
            'Pickup Exception, Pending Reschedule',
            'Pickup Exception',
            {
              pickup_exception: {
                state: 'Failed',
                failure_reason: 'Shipper not available',
                is_liable: false,
              },
            },
          ];
        }
        break;
    }
    events.push({
      shipper_id: SHIPPER_ID,
      tracking_number: parcel.awb,
      shipper_order_ref_no: parcel.reference,
      timestamp: isoWib(at),
      status,
      event,
      is_parcel_on_rts_leg: rts,
      ...detail,
    });
  }
  return events;
}

const REJECTION: Record<WorldRejection, Detail> = {
  unknown_service: {
    field: 'service_level',
    reason: 'invalid',
    message: 'service_level is not enabled for this account',
  },
  unserviceable_route: {
    field: 'to.address',
    reason: 'unserviceable_route',
    message: 'Destination is not serviceable for this service level',
  },
  too_heavy: {
    field: 'parcel_job.dimensions.weight',
    reason: 'too_heavy',
    message: 'Parcel weight exceeds the limit of the service level',
  },
  cod_not_allowed: {
    field: 'parcel_job.cash_on_delivery',
    reason: 'cod_not_allowed',
    message: 'Cash on delivery is not available for this destination',
  },
  cod_over_limit: {
    field: 'parcel_job.cash_on_delivery',
    reason: 'cod_not_allowed',
    message: 'cash_on_delivery exceeds the maximum allowed amount',
  },
};

/**
 * Ninja Van's API for Indonesia (`/id/...`): OAuth client-credentials bearer tokens, JSON bodies,
 * real HTTP statuses with `{error:{code, request_id, title, message, details[]}}`, an
 * `x-nv-request-id` header on every answer, and HMAC-signed v2 pushes.
 */
export class NinjaSandbox extends CourierSandbox {
  readonly code = 'ninja' as const;

  account() {
    return {
      NINJA_BASE_URL: this.baseUrl,
      NINJA_CLIENT_ID: `kirim-${this.secret('client_id').slice(0, 12)}`,
      NINJA_CLIENT_SECRET: this.secret('client_secret'),
      NINJA_TRACKING_PREFIX: PREFIX,
    };
  }

  protected serverError(reply: FastifyReply) {
    return this.fail(
      reply,
      500,
      'INTERNAL_SERVER_ERROR',
      'Internal Server Error',
      'Something went wrong, please try again later',
    );
  }

  private requestId(reply: FastifyReply): string {
    const existing = reply.getHeader('x-nv-request-id');
    if (typeof existing === 'string') return existing;
    const id = randomUUID();
    reply.header('x-nv-request-id', id);
    return id;
  }

  private fail(
    reply: FastifyReply,
    status: number,
    code: string,
    title: string,
    message: string,
    details: Detail[] = [],
  ) {
    return reply
      .code(status)
      .send({ error: { code, request_id: this.requestId(reply), title, message, details } });
  }

  private invalid(reply: FastifyReply, details: Detail[]) {
    return this.fail(
      reply,
      400,
      'VALIDATION_FAILED',
      'Request failed validation',
      `${details.length} field(s) failed validation`,
      details,
    );
  }

  /** A stateless signed token (survives restarts, agrees across instances), expiring on the world clock. */
  private issueToken(): { token: string; expires: number } {
    const expires = Math.floor(this.world.now().getTime() / 1000) + TOKEN_TTL_SECONDS;
    const payload = Buffer.from(`${expires}.${randomUUID()}`).toString('base64url');
    return {
      token: `${payload}.${createHmac('sha256', this.secret('token_signing')).update(payload).digest('base64url')}`,
      expires,
    };
  }

  private tokenValid(token: string): boolean {
    const [payload, signature] = token.split('.');
    if (!payload || !signature) return false;
    const expected = Buffer.from(
      createHmac('sha256', this.secret('token_signing')).update(payload).digest('base64url'),
    );
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    const expires = Number(Buffer.from(payload, 'base64url').toString().split('.')[0]);
    return expires * 1000 > this.world.now().getTime();
  }

  /** The province of a `{address}` party (or a bare address), or a validation detail. */
  private placeOf(
    party: unknown,
    field: string,
    details: Detail[],
  ): { province: string; city: string } | null {
    const p = obj(party);
    const address = Object.keys(obj(p.address)).length ? obj(p.address) : p;
    const at = p === address ? field : `${field}.address`;
    if (payloadText(address.country, 'ID').toUpperCase() !== 'ID') {
      details.push({
        field: `${at}.country`,
        reason: 'bad_address',
        message: `country ${String(address.country)} does not match the country code id`,
      });
    }
    const province = canonicalProvince(payloadText(address.province));
    if (!province)
      details.push({
        field: `${at}.province`,
        reason: 'bad_address',
        message: `province "${payloadText(address.province)}" is not an Indonesian province`,
      });
    if (!address.city)
      details.push({ field: `${at}.city`, reason: 'bad_address', message: 'city is required' });
    if (address.postcode !== undefined && !/^\d{5}$/.test(payloadText(address.postcode)))
      details.push({ field: `${at}.postcode`, reason: 'bad_address', message: 'postcode must be 5 digits' });
    return province && address.city ? { province, city: payloadText(address.city) } : null;
  }

  private timeslot(value: unknown, field: string, details: Detail[]): void {
    if (value === undefined) return;
    const slot = obj(value);
    if (!TIMESLOTS.includes(`${String(slot.start_time)}-${String(slot.end_time)}`))
      details.push({ field, reason: 'invalid', message: `${field} must be one of ${TIMESLOTS.join(', ')}` });
    if (!TIMEZONES.includes(String(slot.timezone)))
      details.push({
        field: `${field}.timezone`,
        reason: 'invalid',
        message: `timezone must be one of ${TIMEZONES.join(', ')}`,
      });
  }

  protected routes(app: FastifyInstance): void {
    app.addHook('onSend', async (_request, reply, payload) => {
      this.requestId(reply);
      return payload;
    });
    app.setNotFoundHandler((_request, reply) =>
      this.fail(reply, 404, 'NOT_FOUND', 'Not Found', 'No such resource'),
    );
    app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
      if (!error.statusCode || error.statusCode >= 500) return this.serverError(reply);
      return this.fail(reply, error.statusCode, 'BAD_REQUEST', 'Bad Request', error.message ?? 'Bad request');
    });

    app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      const cc = (request.params as { cc?: string }).cc;
      // Only the Indonesian country code is enabled for this (simulated) account.
      if (cc !== undefined && cc.toLowerCase() !== 'id')
        return this.fail(
          reply,
          403,
          'FORBIDDEN',
          'Forbidden',
          `Country ${cc} is not enabled for this account`,
        );
      if (request.routeOptions.url?.endsWith('/oauth/access_token')) return undefined;
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!token || !this.tokenValid(token))
        return this.fail(
          reply,
          401,
          'UNAUTHORIZED',
          'Unauthorized',
          'Access token is missing, invalid or expired',
        );
      return undefined;
    });

    app.post('/:cc/2.0/oauth/access_token', async (request, reply) => {
      const b = obj(request.body);
      if (b.grant_type !== 'client_credentials')
        return this.invalid(reply, [
          { field: 'grant_type', reason: 'invalid', message: 'grant_type must be client_credentials' },
        ]);
      const account = this.account();
      if (b.client_id !== account.NINJA_CLIENT_ID || b.client_secret !== account.NINJA_CLIENT_SECRET) {
        return this.fail(reply, 401, 'UNAUTHORIZED', 'Unauthorized', 'Invalid client credentials');
      }
      const { token, expires } = this.issueToken();
      return { access_token: token, token_type: 'bearer', expires, expires_in: TOKEN_TTL_SECONDS };
    });

    // Tariff: gated at Ninja, reply shape assumed (ninja.md §3.4): one service level per call.
    app.post('/:cc/1.0/public/price', async (request, reply) => {
      const b = obj(request.body);
      const details: Detail[] = [];
      const service = LEVELS[payloadText(b.service_level).toLowerCase()];
      if (b.service_type !== 'Parcel')
        details.push({ field: 'service_type', reason: 'invalid', message: 'service_type must be Parcel' });
      if (!service)
        details.push({
          field: 'service_level',
          reason: 'invalid',
          message: 'service_level is not enabled for this account',
        });
      const weightKg = Number(b.weight);
      if (!(weightKg > 0))
        details.push({
          field: 'weight',
          reason: 'invalid',
          message: 'weight must be a positive number of kg',
        });
      const from = this.placeOf(b.from, 'from', details);
      const to = this.placeOf(b.to, 'to', details);
      if (details.length || !from || !to || !service) return this.invalid(reply, details);
      const weightGrams = Math.round(weightKg * 1000);
      const quote = this.world
        .quote('ninja', from.province, to.province, weightGrams, 0)
        .find((q) => q.service.code === service);
      if (!quote) {
        const why = this.world.check('ninja', service, from.province, to.province, weightGrams, 0);
        if (why === 'too_heavy') return this.invalid(reply, [REJECTION.too_heavy]);
        return this.fail(reply, 404, 'NOT_FOUND', 'No rate', 'No rate for this route and service level', [
          REJECTION.unserviceable_route,
        ]);
      }
      return {
        data: {
          service_type: 'Parcel',
          service_level: LEVEL_NAME[service],
          total_fee: quote.price,
          currency: 'IDR',
          breakdown: { delivery_fee: quote.price, insurance_fee: 0 },
          // Assumed fields (not in the public record): COD coverage and transit days.
          cod_available: quote.codAvailable,
          estimated_days: { min: quote.etaDays.min, max: quote.etaDays.max },
        },
      };
    });

    app.post('/:cc/4.1/orders', async (request, reply) => {
      const b = obj(request.body);
      const job = obj(b.parcel_job);
      const details: Detail[] = [];
      if (b.service_type !== 'Parcel')
        details.push({ field: 'service_type', reason: 'invalid', message: 'service_type must be Parcel' });
      const service = LEVELS[payloadText(b.service_level).toLowerCase()];
      if (!service)
        details.push({
          field: 'service_level',
          reason: 'invalid',
          message: 'service_level is not enabled for this account',
        });
      let requested =
        b.requested_tracking_number === undefined
          ? null
          : payloadText(b.requested_tracking_number).toUpperCase();
      if (requested !== null && (requested.length > 18 || !REQUESTED_TN.test(requested))) {
        details.push({
          field: 'requested_tracking_number',
          reason: 'invalid',
          message: 'requested_tracking_number must be 9-18 letters or digits with single dashes',
        });
      }
      if (requested !== null && requested.length < 9) requested = requested.padStart(9, '0'); // Ninja pads short numbers with zeros
      const reference = payloadText(obj(b.reference).merchant_order_number);
      if (reference.length > 255)
        details.push({
          field: 'reference.merchant_order_number',
          reason: 'invalid',
          message: 'merchant_order_number is at most 255 characters',
        });
      for (const side of ['from', 'to'] as const) {
        const p = obj(b[side]);
        const name = payloadText(p.name);
        if (name.length < 3 || name.length > 255)
          details.push({
            field: `${side}.name`,
            reason: 'invalid',
            message: 'name must be 3-255 characters',
          });
        const phone = payloadText(p.phone_number);
        if (!p.email && (phone.length < 6 || phone.length > 32))
          details.push({
            field: `${side}.phone_number`,
            reason: 'invalid',
            message: 'phone_number must be 6-32 characters',
          });
        if (!obj(p.address).address1)
          details.push({
            field: `${side}.address.address1`,
            reason: 'bad_address',
            message: 'address1 is required',
          });
      }
      const from = this.placeOf(b.from, 'from', details);
      const to = this.placeOf(b.to, 'to', details);
      const weightKg = Number(obj(job.dimensions).weight);
      if (!(weightKg > 0))
        details.push({
          field: 'parcel_job.dimensions.weight',
          reason: 'invalid',
          message: 'weight must be a positive number of kg',
        });
      const cod = Number(job.cash_on_delivery ?? 0);
      if (!Number.isFinite(cod) || cod < 0)
        details.push({
          field: 'parcel_job.cash_on_delivery',
          reason: 'invalid',
          message: 'cash_on_delivery must be a number >= 0',
        });
      if (typeof job.is_pickup_required !== 'boolean')
        details.push({
          field: 'parcel_job.is_pickup_required',
          reason: 'invalid',
          message: 'is_pickup_required is required',
        });
      if (job.is_pickup_required === true) {
        if (!['Scheduled', 'On-Demand'].includes(String(job.pickup_service_type)))
          details.push({
            field: 'parcel_job.pickup_service_type',
            reason: 'invalid',
            message: 'pickup_service_type must be Scheduled or On-Demand',
          });
        if (!DATE.test(payloadText(job.pickup_date)))
          details.push({
            field: 'parcel_job.pickup_date',
            reason: 'invalid',
            message: 'pickup_date must be yyyy-MM-dd',
          });
        this.timeslot(job.pickup_timeslot, 'parcel_job.pickup_timeslot', details);
      }
      if (job.delivery_start_date !== undefined && !DATE.test(payloadText(job.delivery_start_date)))
        details.push({
          field: 'parcel_job.delivery_start_date',
          reason: 'invalid',
          message: 'delivery_start_date must be yyyy-MM-dd',
        });
      this.timeslot(job.delivery_timeslot, 'parcel_job.delivery_timeslot', details);
      if (details.length || !from || !to || !service) return this.invalid(reply, details);

      const weightGrams = Math.round(weightKg * 1000);
      const rejection = this.world.check('ninja', service, from.province, to.province, weightGrams, cod);
      if (rejection) return this.invalid(reply, [REJECTION[rejection]]);
      requested ??= String(await this.world.nextAwbNumber('ninja')).padStart(10, '0');
      const trackingNumber = `${PREFIX}${requested}`;
      // The requested tracking number is the idempotency handle: a repeat creates nothing.
      if (await this.world.find('ninja', trackingNumber)) {
        return this.invalid(reply, [
          {
            field: 'requested_tracking_number',
            reason: 'duplicate',
            message: `requested_tracking_number ${requested} already exists (${trackingNumber})`,
          },
        ]);
      }
      const today = wibDate(this.world.now());
      const later = (date: unknown) => (typeof date === 'string' && date > today ? date : today);
      const parcelJob = {
        ...job,
        ...(job.is_pickup_required ? { pickup_date: later(job.pickup_date) } : {}),
        delivery_start_date: later(job.delivery_start_date),
      };
      const order = {
        ...b,
        requested_tracking_number: requested,
        tracking_number: trackingNumber,
        parcel_job: parcelJob,
      };
      await this.world.create({
        courier: 'ninja',
        awb: trackingNumber,
        reference,
        service,
        originCity: from.city,
        originProvince: from.province,
        destinationCity: to.city,
        destinationProvince: to.province,
        weightGrams,
        codAmount: cod,
        pickup: job.is_pickup_required === true,
        recipientPhone: payloadText(obj(b.to).phone_number),
        request: order,
      });
      return order;
    });

    app.delete('/:cc/2.2/orders/:trackingNumber', async (request, reply) => {
      const { trackingNumber } = request.params as { trackingNumber: string };
      const parcel = await this.world.find('ninja', trackingNumber.toUpperCase());
      if (!parcel)
        return this.fail(reply, 404, 'NOT_FOUND', 'Not Found', `Order ${trackingNumber} not found`);
      const outcome = await this.world.cancel(parcel);
      if (outcome === 'already_cancelled') {
        return this.invalid(reply, [
          {
            field: 'tracking_number',
            reason: 'already_cancelled',
            message: `Order ${parcel.awb} is already cancelled`,
          },
        ]);
      }
      if (outcome === 'picked_up') {
        return this.invalid(reply, [
          {
            field: 'tracking_number',
            reason: 'invalid_status',
            message: `Order ${parcel.awb} has been picked up and can no longer be cancelled`,
          },
        ]);
      }
      return { trackingId: parcel.awb, status: 'Cancelled', updatedAt: isoWib(this.world.now()) };
    });

    // Assumed (ninja.actions.ts): Ninja publishes no action API; one resource per action under the order.
    const action = async (request: FastifyRequest, reply: FastifyReply) => {
      const { trackingNumber, resource } = request.params as { trackingNumber: string; resource: string };
      const route = ACTION_RESOURCE[resource];
      if (!route || route.method !== request.method)
        return this.fail(reply, 404, 'NOT_FOUND', 'Not Found', 'No such resource');
      const b = obj(request.body);
      const details: Detail[] = [];
      if (b.customer_confirmed !== undefined && typeof b.customer_confirmed !== 'boolean')
        details.push({
          field: 'customer_confirmed',
          reason: 'invalid',
          message: 'customer_confirmed must be a boolean',
        });
      const note = payloadText(b.delivery_instructions ?? b.reason);
      if (note.length > 255)
        details.push({
          field: 'delivery_instructions',
          reason: 'invalid',
          message: 'at most 255 characters',
        });
      if (route.kind === 'update_address') {
        const to = obj(b.to);
        if (payloadText(to.name).length < 3)
          details.push({ field: 'to.name', reason: 'invalid', message: 'name must be 3 to 255 characters' });
        if (payloadText(to.phone_number).length < 6)
          details.push({
            field: 'to.phone_number',
            reason: 'invalid',
            message: 'phone_number must be 6 to 32 characters',
          });
        if (!payloadText(obj(to.address).address1))
          details.push({
            field: 'to.address.address1',
            reason: 'bad_address',
            message: 'address1 is required',
          });
        this.placeOf(to, 'to', details);
      }
      if (details.length) return this.invalid(reply, details);
      const awb = trackingNumber.toUpperCase();
      const answer = await this.world.requestAction(
        'ninja',
        awb,
        {
          kind: route.kind,
          confirmedWithBuyer: b.customer_confirmed === true,
          ...(note ? { note } : {}),
          ...(route.kind === 'update_address' ? { request: { to: b.to } } : {}),
        },
        (n) => `${awb}-${resource.toUpperCase()}-${n}`,
      );
      if (!answer)
        return this.fail(reply, 404, 'NOT_FOUND', 'Not Found', `Order ${trackingNumber} not found`);
      if (!answer.accepted)
        return this.invalid(reply, [
          {
            field: 'tracking_number',
            reason: 'invalid_status',
            message: `Order ${awb} ${REFUSED_STATE[answer.why]}; ${resource} is not allowed`,
          },
        ]);
      return {
        tracking_number: awb,
        status: 'Accepted',
        ticket_id: answer.reference,
        updated_at: isoWib(this.world.now()),
      };
    };
    app.post('/:cc/2.0/orders/:trackingNumber/:resource', action);
    app.put('/:cc/2.0/orders/:trackingNumber/:resource', action);

    app.get('/:cc/1.0/orders/tracking-events', async (request, reply) => {
      const raw = (request.query as { tracking_number?: string | string[] }).tracking_number;
      const numbers = [
        ...new Set(
          (Array.isArray(raw) ? raw : [raw ?? ''])
            .flatMap((v) => String(v).split(','))
            .map((v) => v.trim().toUpperCase())
            .filter(Boolean),
        ),
      ];
      if (!numbers.length)
        return this.invalid(reply, [
          { field: 'tracking_number', reason: 'invalid', message: 'tracking_number is required' },
        ]);
      if (numbers.length > MAX_BULK_TRACKING)
        return this.invalid(reply, [
          {
            field: 'tracking_number',
            reason: 'invalid',
            message: `at most ${MAX_BULK_TRACKING} tracking numbers per call`,
          },
        ]);
      const parcels = await this.world.findMany('ninja', numbers);
      return { data: parcels.map((p) => this.trackingOf(p)) };
    });

    app.get('/:cc/1.0/orders/tracking-events/:trackingNumber', async (request, reply) => {
      const { trackingNumber } = request.params as { trackingNumber: string };
      const parcel = await this.world.find('ninja', trackingNumber.toUpperCase());
      if (!parcel)
        return this.fail(reply, 404, 'NOT_FOUND', 'Not Found', `Tracking number ${trackingNumber} not found`);
      return this.trackingOf(parcel);
    });
  }

  /** One parcel's events, oldest first; `service_level` is an assumed extra. */
  private trackingOf(parcel: SandboxParcel) {
    return {
      tracking_number: parcel.awb,
      is_full_history_available: true,
      service_level: LEVEL_NAME[parcel.service],
      events: eventsOf(parcel, this.world.happened(parcel)),
    };
  }

  /** The v2 push Ninja would send for the parcel's latest event, signed over its exact bytes (ninja.md §4). */
  async webhookFor(awb: string): Promise<SandboxPush | null> {
    const parcel = await this.world.find('ninja', awb);
    if (!parcel) return null;
    const events = eventsOf(parcel, this.world.happened(parcel));
    const last = events[events.length - 1];
    if (!last) return null;
    const { tracking_number: trackingId, ...event } = last;
    const body = JSON.stringify({
      ...event,
      id: randomUUID(),
      tracking_id: trackingId,
      tracking_ref_no: obj(parcel.request).requested_tracking_number,
      shipper_ref_no: parcel.reference,
      previous_status: events[events.length - 2]?.status ?? '',
    });
    const sign = (key: string) => createHmac('sha256', key).update(body).digest('base64');
    const json = { 'content-type': 'application/json' };
    return {
      headers: { ...json, 'x-ninjavan-hmac-sha256': sign(this.secret('client_secret')) },
      body,
      forged: {
        headers: { ...json, 'x-ninjavan-hmac-sha256': sign(this.secret('not_the_client_secret')) },
        body,
      },
      unsigned: { headers: json, body },
    };
  }
}
