import {
  createShipmentBody,
  emptyShipmentFields,
  formFieldOfQuote,
  quoteRequest,
  recommendationOf,
  whole,
  type QuoteOption,
  type ShipmentFields,
} from 'src/dashboard/pages/kirim/shipment-form';

const typed = (): ShipmentFields => ({
  ...emptyShipmentFields('3f0c6a44-1d7a-4b0e-9a51-6c1f8f2b9d10'),
  reference: ' ORD-1 ',
  'recipient.name': 'Budi',
  'recipient.phone': '0812 9876 5432',
  'recipient.address': 'Jl. Kebon Sirih 5',
  'recipient.city': 'Jakarta Pusat',
  'recipient.province': 'DKI Jakarta',
  'recipient.postalCode': '10340',
  'parcel.weightGrams': '1.200',
  codAmount: '150.000',
});

const option = (courier: string, rank: number | null, eligible = rank !== null) =>
  ({ courier, service: 'REG', rank, eligible }) as QuoteOption;

describe('the new-shipment form', () => {
  it('reads whole numbers as sellers type them, and leaves anything else for the API to name', () => {
    expect([whole('1200'), whole('1.200'), whole('150.000'), whole(' 7 '), whole('')]).toEqual([
      1200,
      1200,
      150000,
      7,
      undefined,
    ]);
    // A negative whole number is one: the API answers with the field's minimum, not "a whole number".
    expect([whole('-3'), whole('-1.200')]).toEqual([-3, -1200]);
    expect([whole('1.5'), whole('12,5'), whole('- 3'), whole('1.20')]).toEqual([
      '1.5',
      '12,5',
      '- 3',
      '1.20',
    ]);
  });

  it('asks for quotes only once origin, city, province, a five-digit postal code and a weight are there', () => {
    expect(quoteRequest(typed())).toEqual({
      originAddressId: '3f0c6a44-1d7a-4b0e-9a51-6c1f8f2b9d10',
      destination: { city: 'Jakarta Pusat', province: 'DKI Jakarta', postalCode: '10340' },
      parcel: { weightGrams: 1200 },
      codAmount: 150000,
    });
    for (const [field, value] of [
      ['originAddressId', ''],
      ['recipient.city', ' '],
      ['recipient.province', ''],
      ['recipient.postalCode', '1034'],
      ['parcel.weightGrams', '0'],
      ['parcel.weightGrams', 'satu kilo'],
    ] as const)
      expect([field, value, quoteRequest({ ...typed(), [field]: value })]).toEqual([field, value, null]);
  });

  it('builds the create body with only what is filled in, and the picked service', () => {
    const body = createShipmentBody(
      { ...typed(), 'parcel.description': 'Batik' },
      { code: 'jnt', service: 'EZ' },
    );
    expect(body).toEqual({
      reference: 'ORD-1',
      originAddressId: '3f0c6a44-1d7a-4b0e-9a51-6c1f8f2b9d10',
      recipient: {
        name: 'Budi',
        phone: '0812 9876 5432',
        address: 'Jl. Kebon Sirih 5',
        city: 'Jakarta Pusat',
        province: 'DKI Jakarta',
        postalCode: '10340',
      },
      parcel: { weightGrams: 1200, description: 'Batik' },
      codAmount: 150000,
      courier: { code: 'jnt', service: 'EZ' },
    });
    expect('courier' in createShipmentBody(typed())).toBe(false);
  });

  it('shows a refused quote field on the recipient’s input, and finds the recommendation and runner-up', () => {
    expect(formFieldOfQuote('destination.postalCode')).toBe('recipient.postalCode');
    expect(formFieldOfQuote('parcel.weightGrams')).toBe('parcel.weightGrams');
    const { best, runnerUp } = recommendationOf([
      option('sap', 2),
      option('jne', null, false),
      option('jnt', 1),
    ]);
    expect([best?.courier, runnerUp?.courier]).toEqual(['jnt', 'sap']);
    expect(recommendationOf([option('jne', null, false)])).toEqual({ best: undefined, runnerUp: undefined });
  });
});
