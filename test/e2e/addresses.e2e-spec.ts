import supertest from 'supertest';
import {
  addSellerUser,
  signupSeller,
  TestSeller,
  validAddress,
  validShipment,
} from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

describe('pickup addresses', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
  });
  afterAll(() => t.close());

  it('joins a street address spanning lines into one line, on create and edit; the other fields still refuse line breaks', async () => {
    // Before, each was a 400: `address must be one line`.
    const created = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({ ...validAddress('Gudang Braga'), address: 'Jl. Braga No. 12\r\nRT 01/RW 02\r\n' })
      .expect(201);
    expect(created.body.address).toBe('Jl. Braga No. 12, RT 01/RW 02');
    const edited = await http
      .patch(`/v1/addresses/${created.body.id}`)
      .set(seller.auth)
      .send({ address: 'Jl. Braga No. 14\n\n\tBlok C' })
      .expect(200);
    expect(edited.body.address).toBe('Jl. Braga No. 14, Blok C');
    const [stored] = await t.dataSource.query<{ address: string }[]>(
      'SELECT address FROM pickup_addresses WHERE id = $1',
      [created.body.id],
    );
    expect(stored.address).toBe('Jl. Braga No. 14, Blok C');
    const refused = await http
      .patch(`/v1/addresses/${created.body.id}`)
      .set(seller.auth)
      .send({ address: 'Jl. Braga\nNo. 16', contactName: 'Sekar\nAyu' })
      .expect(400);
    expect(refused.body.details).toEqual([
      { field: 'contactName', message: 'contactName must be one line: no line breaks or tabs' },
    ]);
  });

  it('refuses an address removed or changed at once, however a body writes its id (in capitals too)', async () => {
    const origin = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send(validAddress('Gudang Lama'))
      .expect(201);
    const upper = String(origin.body.id).toUpperCase();
    const { district, city, province, postalCode } = validShipment(upper).recipient;
    const destination = { district, city, province, postalCode };
    const quote = () =>
      http
        .post('/v1/quotes')
        .set(seller.auth)
        .send({ originAddressId: upper, destination, parcel: { weightGrams: 1000 }, codAmount: 150_000 });
    // Read once by its id in capitals (a quote), then changed and removed by its id as stored.
    expect((await quote()).status).toBe(200);
    await http
      .patch(`/v1/addresses/${origin.body.id}`)
      .set(seller.auth)
      .send({ contactName: 'Dewi Baru' })
      .expect(200);
    const shipment = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send(validShipment(upper, 'CAPS-1'))
      .expect(201);
    expect(shipment.body.origin.name).toBe('Dewi Baru');
    await http.delete(`/v1/addresses/${origin.body.id}`).set(seller.auth).expect(204);
    // Before, the copy kept under the capitals still answered: a quote and a shipment from a removed address.
    const refused = await quote();
    expect([refused.status, refused.body.code]).toEqual([404, 'SELLERS_ADDRESS_NOT_FOUND']);
    const shipped = await http.post('/v1/shipments').set(seller.auth).send(validShipment(upper, 'CAPS-2'));
    expect([shipped.status, shipped.body.code]).toEqual([404, 'SELLERS_ADDRESS_NOT_FOUND']);
  });

  it('GET /v1/addresses/:id answers the address as created (normalized), then as edited', async () => {
    const created = await http
      .post('/v1/addresses')
      .set(seller.auth)
      .send({ ...validAddress('Gudang Cimahi'), phone: '0812 3456 7890', province: 'jabar' })
      .expect(201);
    const createdAt = t.clock.now().toISOString();
    const read = await http.get(`/v1/addresses/${created.body.id}`).set(seller.auth).expect(200);
    expect(read.body).toEqual({
      id: created.body.id,
      label: 'Gudang Cimahi',
      contactName: 'Sekar Ayu',
      phone: '+6281234567890',
      address: 'Jl. Braga No. 12',
      district: 'Sumur Bandung',
      city: 'Kota Bandung',
      province: 'Jawa Barat',
      postalCode: '40111',
      districtCode: '32.73.19',
      createdAt,
      updatedAt: createdAt,
    });

    const editedAt = t.clock.advance(3600_000).toISOString();
    // Moving to another city keeps the district typed before: Sumur Bandung is not in Cimahi.
    const moved = await http
      .patch(`/v1/addresses/${created.body.id}`)
      .set(seller.auth)
      .send({ city: 'Cimahi', postalCode: '40511' })
      .expect(422);
    expect(moved.body).toMatchObject({ code: 'AREA_UNRESOLVED', details: [{ field: 'district' }] });
    expect(moved.body.details[0].suggestions.map((s: { code: string }) => s.code).slice(0, 4)).toEqual([
      '32.73.19', // where Sumur Bandung is
      '32.77.01', // and Kota Cimahi's districts
      '32.77.02',
      '32.77.03',
    ]);
    await http
      .patch(`/v1/addresses/${created.body.id}`)
      .set(seller.auth)
      .send({ district: 'cimahi tengah', city: 'Cimahi', postalCode: '40511' })
      .expect(200);
    const staff = await addSellerUser(http, seller, 'seller_staff');
    const again = await http.get(`/v1/addresses/${created.body.id}`).set(staff.auth).expect(200);
    expect(again.body).toEqual({
      ...read.body,
      district: 'Cimahi Tengah',
      city: 'Kota Cimahi',
      districtCode: '32.77.02',
      postalCode: '40511',
      updatedAt: editedAt,
    });
  });
});
