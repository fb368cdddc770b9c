import { randomBytes } from 'node:crypto';
import supertest from 'supertest';

export interface TestSeller {
  sellerId: string;
  userId: string;
  email: string;
  password: string;
  token: string;
  auth: { authorization: string };
}

let counter = 0;

export function uniqueEmail(prefix = 'seller'): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(4).toString('hex')}@example.id`;
}

/** Signs a seller up over the API and returns its owner's credentials. */
export async function signupSeller(http: supertest.Agent, name = 'Toko Uji'): Promise<TestSeller> {
  const email = uniqueEmail();
  const password = 'correct horse battery staple';
  const res = await http.post('/v1/auth/signup').send({ sellerName: name, email, password }).expect(201);
  const body = res.body as { seller: { id: string }; user: { id: string }; accessToken: string };
  return {
    sellerId: body.seller.id,
    userId: body.user.id,
    email,
    password,
    token: body.accessToken,
    auth: { authorization: `Bearer ${body.accessToken}` },
  };
}

/**
 * Sets the seller's webhook URL over the API (events are written for it from now on) and returns the
 * webhook secret its deliveries are signed with. A URL nothing listens on leaves them unsent.
 */
export async function subscribeWebhooks(
  http: supertest.Agent,
  seller: Pick<TestSeller, 'auth'>,
  url = 'http://127.0.0.1:9/never-called',
): Promise<string> {
  const res = await http.patch('/v1/settings').set(seller.auth).send({ webhookUrl: url }).expect(200);
  return (res.body as { webhookSecret: string }).webhookSecret;
}

export const validAddress = (label = 'Gudang Bandung') => ({
  label,
  contactName: 'Sekar Ayu',
  phone: '0812-3456-7890',
  address: 'Jl. Braga No. 12',
  district: 'Sumur Bandung',
  city: 'Bandung',
  province: 'Jawa Barat',
  postalCode: '40111',
});

export const validBankAccount = (accountNumber = '1234567890') => ({
  bankCode: 'BCA',
  accountNumber,
  accountName: 'Sekar Ayu',
});

export async function createAddress(
  http: supertest.Agent,
  seller: TestSeller,
  label?: string,
): Promise<{ id: string }> {
  const res = await http.post('/v1/addresses').set(seller.auth).send(validAddress(label)).expect(201);
  return res.body as { id: string };
}

/** A seller signed up under `name`, with one pickup address: the seller and the address's id. */
export async function sellerWithOrigin(
  http: supertest.Agent,
  name: string,
): Promise<{ seller: TestSeller; origin: string }> {
  const seller = await signupSeller(http, name);
  return { seller, origin: (await createAddress(http, seller)).id };
}

/** Adds a user with `role` to the seller (through the owner) and logs them in. */
export async function addSellerUser(
  http: supertest.Agent,
  owner: TestSeller,
  role: 'seller_owner' | 'seller_staff',
): Promise<{ id: string; email: string; password: string; auth: { authorization: string } }> {
  const email = uniqueEmail(role);
  const password = 'staff password 123';
  const created = await http.post('/v1/users').set(owner.auth).send({ email, password, role }).expect(201);
  const login = await http.post('/v1/auth/login').send({ email, password }).expect(200);
  return {
    id: (created.body as { id: string }).id,
    email,
    password,
    auth: { authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` },
  };
}

export const validShipment = (
  originAddressId: string,
  reference = `ORD-${randomBytes(4).toString('hex')}`,
) => ({
  reference,
  originAddressId,
  recipient: {
    name: 'Budi Santoso',
    phone: '0812-9876-5432',
    address: 'Jl. Kebon Sirih No. 5',
    district: 'Menteng',
    city: 'Jakarta Pusat',
    province: 'DKI Jakarta',
    postalCode: '10340',
  },
  parcel: {
    weightGrams: 1200,
    lengthCm: 20,
    widthCm: 15,
    heightCm: 10,
    itemValue: 150_000,
    description: 'Kain batik',
  },
  codAmount: 150_000,
});

/** A ready shipment from a fresh origin address of the seller. */
export async function createShipment(
  http: supertest.Agent,
  seller: TestSeller,
  overrides: object = {},
): Promise<{ id: string; reference: string }> {
  const origin = await createAddress(http, seller);
  const res = await http
    .post('/v1/shipments')
    .set(seller.auth)
    .send({ ...validShipment(origin.id), ...overrides })
    .expect(201);
  return res.body as { id: string; reference: string };
}
