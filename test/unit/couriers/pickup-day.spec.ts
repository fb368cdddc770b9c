import { pickupWindow } from 'src/couriers/adapters/idexpress/idexpress.mapper';
import { JneAccount, pickupBody } from 'src/couriers/adapters/jne/jne.mapper';
import { JntAccount, orderItem } from 'src/couriers/adapters/jnt/jnt.mapper';
import { createBody as ninjaBody, pickupSlot } from 'src/couriers/adapters/ninja/ninja.mapper';
import { createBody as sapBody, SapAccount } from 'src/couriers/adapters/sap/sap.mapper';
import { CreateOrderRequest } from 'src/couriers/courier-adapter';
import { bandung, order as orderOf } from '../../integration/couriers/fixtures';
import { ROUTE_CODES } from '../../support/location-codes';

/**
 * The pickup day a booking asks its courier for. A pickup keeps the day the seller asked for, but it is booked
 * (or re-booked with the next courier after a missed pickup) when the outbox gets to it: that may be late on
 * that day or days after it. No courier may be asked to come at a time already gone.
 */
describe('the pickup day sent to each courier', () => {
  // The integration fixtures' order, with a fixed reference: two bodies asked alike must be equal.
  const request = (pickupDate?: string): CreateOrderRequest =>
    orderOf('REG', { reference: 'KRM-1', ...(pickupDate ? { pickupDate } : {}) });
  const jne: JneAccount = {
    JNE_BASE_URL: 'http://jne.test',
    JNE_USERNAME: 'U',
    JNE_API_KEY: 'K',
    JNE_CUSTOMER_NO: '80000100',
    JNE_COD_CUSTOMER_NO: '80000101',
    JNE_BRANCH: 'CGK000',
  };
  const jnt = {
    JNT_BASE_URL: 'http://jnt.test',
    JNT_USERNAME: 'u',
    JNT_API_KEY: 'a',
    JNT_ORDER_KEY: 'o',
    JNT_TARIFF_KEY: 't',
    JNT_CUSTOMER_NAME: 'c',
    JNT_ECCOMPANY_ID: 'e',
    JNT_TRACKING_PASSWORD: 'p',
  } as JntAccount;
  const sap = {
    SAP_BASE_URL: 'http://sap.test',
    SAP_API_KEY: 'k',
    SAP_CUSTOMER_CODE: 'C',
    SAP_COD_CUSTOMER_CODE: 'D',
  } as SapAccount;
  const order = { courier: 'jne' as const, awb: 'JNE0001', reference: 'KRM-1', service: 'REG' };

  // 6 Dec 2026, 19:30 WIB: after a working day's pickup hours.
  const now = new Date('2026-12-06T19:30:00+07:00');

  describe.each([
    ['the day before (a pickup re-booked after the first courier missed it)', '2026-12-05'],
    ['today, once its pickup hours are over', '2026-12-06'],
  ])('asked for %s', (_what, day) => {
    it('JNE is asked to come today from now, not on a day or at an hour gone', () => {
      const body = pickupBody(order, request(day), jne, now, ROUTE_CODES.jne);
      expect(body).toMatchObject({ PICKUP_DATE: '06-12-2026', PICKUP_TIME: '19:30' });
    });

    it('J&T gets a window from now, not one that closed', () => {
      const item = orderItem(request(day), jnt, now, ROUTE_CODES.jnt);
      expect(item).toMatchObject({
        sendstarttime: '2026-12-06 19:30:00',
        sendendtime: '2026-12-07 19:30:00',
      });
    });

    it('SAP expects the pickup from now', () => {
      expect(sapBody(request(day), sap, now, ROUTE_CODES.sap).expected_pickup_date).toBe(
        '2026-12-06 19:30:00',
      );
    });

    it('Ninja books today’s evening slot, and ID Express a window from 1.5 h ahead (as before)', () => {
      const job = ninjaBody(request(day), now).parcel_job as Record<string, unknown>;
      expect(job).toMatchObject({
        pickup_date: '2026-12-06',
        pickup_timeslot: { start_time: '18:00', end_time: '22:00', timezone: 'Asia/Jakarta' },
        delivery_start_date: '2026-12-06',
      });
      const window = pickupWindow(day, now);
      expect(window.start).toBe(now.getTime() + 1.5 * 3600_000);
      expect(window.end).toBeGreaterThanOrEqual(window.start + 4 * 3600_000);
    });
  });

  it('a day still to come is asked for as before: its working hours', () => {
    const day = '2026-12-08';
    expect(pickupBody(order, request(day), jne, now, ROUTE_CODES.jne)).toMatchObject({
      PICKUP_DATE: '08-12-2026',
      PICKUP_TIME: '09:00',
    });
    expect(orderItem(request(day), jnt, now, ROUTE_CODES.jnt)).toMatchObject({
      sendstarttime: '2026-12-08 08:00:00',
      sendendtime: '2026-12-08 17:00:00',
    });
    expect(sapBody(request(day), sap, now, ROUTE_CODES.sap).expected_pickup_date).toBe('2026-12-08 09:00:00');
  });

  it('Ninja is asked for a slot not yet over in the sender’s own time: the day, its evening, or tomorrow', () => {
    const slotAt = (at: string, timezone = 'Asia/Jakarta', day?: string) =>
      pickupSlot(day, new Date(at), timezone);
    expect(slotAt('2026-12-06T10:15:00+07:00')).toEqual({ date: '2026-12-06', start: '09:00', end: '18:00' });
    expect(slotAt('2026-12-06T18:00:00+07:00')).toEqual({ date: '2026-12-06', start: '18:00', end: '22:00' });
    expect(slotAt('2026-12-06T22:00:00+07:00')).toEqual({ date: '2026-12-07', start: '09:00', end: '18:00' });
    // 17:30 WIB is 19:30 in Jayapura: its evening; 21:30 WIB is already tomorrow's morning there.
    expect(slotAt('2026-12-06T17:30:00+07:00', 'Asia/Jayapura')).toEqual({
      date: '2026-12-06',
      start: '18:00',
      end: '22:00',
    });
    expect(slotAt('2026-12-06T23:30:00+07:00', 'Asia/Jayapura')).toEqual({
      date: '2026-12-07',
      start: '09:00',
      end: '18:00',
    });
    // A day still to come keeps its working hours, whatever the hour now; one gone is today's.
    expect(slotAt('2026-12-06T23:30:00+07:00', 'Asia/Jakarta', '2026-12-09')).toEqual({
      date: '2026-12-09',
      start: '09:00',
      end: '18:00',
    });
    expect(slotAt('2026-12-06T08:00:00+07:00', 'Asia/Jakarta', '2026-12-01').date).toBe('2026-12-06');
    // The body asks what the slot says, in the sender's zone (a Makassar sender at 21:30 WIB, 22:30 there).
    const makassar = {
      ...request(),
      sender: { ...bandung, city: 'Makassar', province: 'Sulawesi Selatan' },
    };
    expect(ninjaBody(makassar, new Date('2026-12-06T21:30:00+07:00')).parcel_job).toMatchObject({
      pickup_date: '2026-12-07',
      pickup_timeslot: { start_time: '09:00', end_time: '18:00', timezone: 'Asia/Makassar' },
    });
  });

  it('today is from now, as a pickup without a day: the same body whichever way it is asked', () => {
    const morning = new Date('2026-12-06T10:15:00+07:00');
    for (const at of [morning, now]) {
      expect(pickupBody(order, request('2026-12-06'), jne, at, ROUTE_CODES.jne)).toEqual(
        pickupBody(order, request(), jne, at, ROUTE_CODES.jne),
      );
      expect(orderItem(request('2026-12-06'), jnt, at, ROUTE_CODES.jnt)).toEqual(
        orderItem(request(), jnt, at, ROUTE_CODES.jnt),
      );
      expect(sapBody(request('2026-12-06'), sap, at, ROUTE_CODES.sap)).toEqual(
        sapBody(request(), sap, at, ROUTE_CODES.sap),
      );
    }
    expect(orderItem(request('2026-12-06'), jnt, morning, ROUTE_CODES.jnt)).toMatchObject({
      sendstarttime: '2026-12-06 10:15:00',
      sendendtime: '2026-12-07 10:15:00',
    });
  });
});
