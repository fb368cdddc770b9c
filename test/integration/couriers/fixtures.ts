import type { CourierCode, CreateOrderRequest, Place, QuoteRequest } from 'src/couriers/courier-adapter';

export const bandung: Place = {
  name: 'Toko Batik Sekar',
  phone: '+6281234567890',
  address: 'Jl. Braga No. 12',
  district: 'Sumur Bandung',
  city: 'Bandung',
  province: 'Jawa Barat',
  postalCode: '40111',
  districtCode: '32.73.19',
};

export const jakarta: Place = {
  name: 'Budi Santoso',
  phone: '+6281298765432',
  address: 'Jl. Kebon Sirih No. 5',
  district: 'Menteng',
  city: 'Jakarta Pusat',
  province: 'DKI Jakarta',
  postalCode: '10340',
  districtCode: '31.71.06',
};

/** A place elsewhere: its district code is the area directory's (each courier's mapping is keyed by it). */
export const place = (province: string, city: string, district: string, districtCode: string): Place => ({
  ...jakarta,
  province,
  city,
  district,
  districtCode,
  postalCode: '99111',
});

const jayapura = place('Papua', 'Jayapura', 'Jayapura Utara', '91.71.01');

let counter = 0;
export const reference = (prefix = 'KRM') =>
  `${prefix}${Date.now().toString(36).toUpperCase()}${(counter++).toString(36).toUpperCase()}`.slice(0, 20);

export const quoteTo = (destination: Place, codAmount = 150_000, weightGrams = 1200): QuoteRequest => ({
  origin: bandung,
  destination,
  parcel: {
    weightGrams,
    lengthCm: 20,
    widthCm: 15,
    heightCm: 10,
    itemValue: 150_000,
    description: 'Kain batik',
  },
  codAmount,
});

export function order(service: string, overrides: Partial<CreateOrderRequest> = {}): CreateOrderRequest {
  return {
    reference: reference(),
    service,
    sender: bandung,
    recipient: jakarta,
    parcel: {
      weightGrams: 1200,
      lengthCm: 20,
      widthCm: 15,
      heightCm: 10,
      itemValue: 150_000,
      description: 'Kain batik',
    },
    codAmount: 150_000,
    pickup: true,
    ...overrides,
  };
}

/** Per courier: its everyday COD service, a route it does not serve, and a COD it refuses. */
export const CASES: Record<
  CourierCode,
  {
    service: string;
    unserved: { service: string; to: Place };
    noCod: { service: string; to: Place; weightGrams?: number; codAmount?: number };
  }
> = {
  sap: {
    service: 'UDRREG',
    unserved: { service: 'UDRREG', to: jayapura },
    noCod: { service: 'DRGREG', to: jakarta, weightGrams: 12_000 },
  },
  jne: {
    service: 'REG',
    unserved: { service: 'YES', to: jayapura },
    noCod: { service: 'YES', to: jakarta },
  },
  jnt: {
    service: 'EZ',
    unserved: { service: 'EZ', to: place('Papua Pegunungan', 'Wamena', 'Wamena', '95.01.01') },
    noCod: { service: 'EZ', to: jakarta, codAmount: 6_000_000 },
  },
  ninja: {
    service: 'STANDARD',
    unserved: { service: 'STANDARD', to: place('Maluku Utara', 'Ternate', 'Pulau Ternate', '82.71.01') },
    noCod: { service: 'STANDARD', to: jayapura },
  },
  idexpress: {
    service: '00',
    unserved: { service: '06', to: place('Bali', 'Denpasar', 'Denpasar Selatan', '51.71.01') },
    noCod: { service: '00', to: jayapura },
  },
};
