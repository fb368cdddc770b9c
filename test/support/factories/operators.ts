import supertest from 'supertest';
import { UsersService } from 'src/auth/users.service';
import type { AppConfig } from 'config';
import { startTestApp, TestApp } from '../test-app';
import { uniqueEmail } from './sellers';

/** Creates a Kirim staff user (finance/admin) through the same service the CLI uses, then logs in over HTTP. */
export async function createOperator(
  t: TestApp,
  http: supertest.Agent,
  role: 'finance' | 'admin',
): Promise<{ id: string; auth: { authorization: string } }> {
  const email = uniqueEmail(role);
  const password = 'operator password 1';
  const user = await t.app.get(UsersService).create({ email, password, role, sellerId: null });
  const login = await http.post('/v1/auth/login').send({ email, password }).expect(200);
  return {
    id: user.id,
    auth: { authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` },
  };
}

/** An app started with `configure`d business settings, its HTTP agent, and an admin and a finance operator. */
export async function startWithOperators(configure: (config: AppConfig) => void): Promise<{
  t: TestApp;
  http: supertest.Agent;
  admin: { auth: { authorization: string } };
  finance: { auth: { authorization: string } };
}> {
  const t = await startTestApp({}, undefined, { configure });
  const http = t.http();
  return {
    t,
    http,
    admin: await createOperator(t, http, 'admin'),
    finance: await createOperator(t, http, 'finance'),
  };
}
