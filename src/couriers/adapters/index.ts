import type { BusinessDefaults } from 'config/defaults';
import type { CourierAdapter, CourierCode, CourierServiceInfo } from '../courier-adapter';
import { IdExpressAdapter } from './idexpress/idexpress.adapter';
import { JneAdapter } from './jne/jne.adapter';
import { JntAdapter } from './jnt/jnt.adapter';
import { NinjaAdapter } from './ninja/ninja.adapter';
import { SapAdapter } from './sap/sap.adapter';
import type { Clock } from 'src/common/clock';
import type { CourierLocations } from '../locations';
import type { CourierDecoder } from '../courier-decoder';
import { idexpressDecoder } from './idexpress/idexpress.decode';
import { jneDecoder } from './jne/jne.decode';
import { jntDecoder } from './jnt/jnt.decode';
import { ninjaDecoder } from './ninja/ninja.decode';
import { sapDecoder } from './sap/sap.decode';

export interface AdapterDeps {
  /** The courier's account settings: its env variables (real mode) or its sandbox's account (sandbox mode). */
  account: Record<string, string>;
  name: string;
  catalogue: CourierServiceInfo[];
  webhookMaxAgeSeconds: number;
  locations: CourierLocations;
  /**
   * The service's clock (default: real time): an order's dates and pickup window are the service's today, which
   * in sandbox mode may have been moved forward, as its sandbox couriers' clock has.
   */
  clock?: Clock;
}

/** Builds the adapter for a courier code. */
export function buildAdapter(code: CourierCode, deps: AdapterDeps): CourierAdapter {
  const { account, name, catalogue, webhookMaxAgeSeconds, locations, clock } = deps;
  switch (code) {
    case 'sap':
      return new SapAdapter(name, account as never, catalogue, webhookMaxAgeSeconds, locations, clock);
    case 'jne':
      return new JneAdapter(name, account as never, catalogue, webhookMaxAgeSeconds, locations, clock);
    case 'jnt':
      return new JntAdapter(name, account as never, catalogue, webhookMaxAgeSeconds, locations, clock);
    case 'ninja':
      return new NinjaAdapter(name, account as never, catalogue, webhookMaxAgeSeconds, locations, clock);
    case 'idexpress':
      return new IdExpressAdapter(name, account as never, catalogue, webhookMaxAgeSeconds, locations, clock);
  }
}

export type CourierCatalogue = BusinessDefaults['couriers']['catalogue'];

/** Each courier's answers read without a network (couriers:decode, the samples conformance test). */
export const COURIER_DECODERS: Record<CourierCode, CourierDecoder> = {
  jne: jneDecoder,
  jnt: jntDecoder,
  sap: sapDecoder,
  ninja: ninjaDecoder,
  idexpress: idexpressDecoder,
};
