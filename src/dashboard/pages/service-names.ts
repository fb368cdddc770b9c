import { useEffect, useState } from 'react';
import { api, call } from '../api/client';
import { courierName } from './shipment-query';

/**
 * A service as sellers say it: its own name when that already starts with the courier's (`JNE Reguler`,
 * `J&T EZ`), else the courier's name before it (`SAP Express SATRIA REG`).
 */
export function serviceLabel(o: { courier: string; serviceName: string }): string {
  const courier = courierName(o.courier);
  const first = (name: string) => name.split(' ')[0].toLowerCase();
  return first(o.serviceName) === first(courier) ? o.serviceName : `${courier} ${o.serviceName}`;
}

const keyOf = (courier: string, service: string) => `${courier}/${service}`;

/** Service names by courier and code (GET /v1/couriers): configuration, read once; a failed read is tried again. */
let names: Promise<Map<string, string>> | null = null;

function serviceNames(): Promise<Map<string, string>> {
  names ??= call(api.GET('/v1/couriers')).then(
    (couriers) =>
      new Map(couriers.flatMap((c) => c.services.map((s) => [keyOf(c.code, s.code), s.name] as const))),
    () => {
      names = null;
      return new Map<string, string>();
    },
  );
  return names;
}

/**
 * The label of a booked service (the API names it by code: `ninja`, `STANDARD`) as the quotes name it
 * ("Ninja Standard"); its code until the names are read, or for a service no longer offered.
 */
export function useServiceLabel(): (courier: string, service: string) => string {
  const [known, setKnown] = useState<Map<string, string>>();
  useEffect(() => {
    let live = true;
    void serviceNames().then((m) => live && setKnown(m));
    return () => {
      live = false;
    };
  }, []);
  return (courier, service) =>
    serviceLabel({ courier, serviceName: known?.get(keyOf(courier, service)) ?? service });
}
