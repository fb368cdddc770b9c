import type { ResilientCourier } from 'src/couriers/courier-registry';
import { CourierUnavailableError } from 'src/couriers/courier.errors';

/**
 * Runs `work` while the courier's parcel actions lose their answers (CourierUnavailableError, a `timeout`;
 * with `reset`, the connection reset once made): with `reached` the courier takes each action first and only
 * its answer is lost; without, it never gets the request. Kirim cannot tell the two apart. The courier answers as usual again after `work`,
 * whatever it threw.
 */
export async function withActionAnswersLost<T>(
  courier: ResilientCourier,
  {
    reached,
    reset = false,
  }: { reached: boolean; /** The connection reset instead of a timeout. */ reset?: boolean },
  work: () => Promise<T>,
): Promise<T> {
  const take = courier.requestAction.bind(courier);
  const lost = jest.spyOn(courier, 'requestAction').mockImplementation(async (order, action) => {
    if (reached) await take(order, action);
    throw reset
      ? new CourierUnavailableError(courier.code, 'network', 'ECONNRESET', 'socket hang up')
      : new CourierUnavailableError(courier.code, 'timeout', 'ABORTED', 'the call was abandoned (timeout)');
  });
  try {
    return await work();
  } finally {
    lost.mockRestore();
  }
}
