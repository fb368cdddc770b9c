import { JwtService } from '@nestjs/jwt';
import supertest from 'supertest';
import { axeCheck, PageWidth, screenshot, takePageErrors, useBrowser } from '../support/browser';
import { endPinned } from '../support/factories/money';
import { uniqueEmail, createAddress, signupSeller } from '../support/factories/sellers';
import { PINNED } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The dashboard in real headless Chromium against the real app and PostgreSQL: signing up through the
 * form, the overview with the seller's own money, the language switch, logging out and back in, and a
 * session that ends — at a phone's 360 px and a desktop's 1280 px, each page checked by axe-core and
 * photographed (test/e2e/screenshots/).
 */
describe('the dashboard in a browser', () => {
  let t: TestApp;
  let http: supertest.Agent;
  const browser = useBrowser();

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
  });
  afterAll(() => t.close());

  for (const width of [360, 1280] as PageWidth[]) {
    it(`signs a seller up, shows its balance and shipments, switches language, logs out and in (${width} px)`, async () => {
      const page = await browser.openPage(`${t.url}/daftar`, { width });
      await page.getByRole('heading', { name: 'Daftar toko baru' }).waitFor();
      await axeCheck(page);
      await screenshot(page, 'daftar');

      // The API's field errors appear next to the field, in Indonesian.
      const email = uniqueEmail('browser');
      await page.getByLabel('Nama toko').fill('Toko Kain Sari');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Kata sandi').fill('pendek');
      await page.getByRole('button', { name: 'Daftar' }).click();
      await page.getByText('Minimal 10 karakter.').waitFor();
      // The browser logs the refused request itself; nothing else went wrong on the page.
      expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 400/)]);
      await axeCheck(page);
      await page.getByLabel('Kata sandi').fill('kata sandi yang panjang');
      await page.getByRole('button', { name: 'Daftar' }).click();
      await page.getByRole('heading', { name: 'Beranda' }).waitFor();

      // Money and shipments arrive through the real path: a COD parcel delivered by its courier.
      const login = await http
        .post('/v1/auth/login')
        .send({ email, password: 'kata sandi yang panjang' })
        .expect(200);
      const seller = {
        sellerId: '',
        userId: '',
        email,
        password: 'kata sandi yang panjang',
        token: login.body.accessToken as string,
        auth: { authorization: `Bearer ${login.body.accessToken as string}` },
      };
      const origin = (await createAddress(http, seller)).id;
      await endPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'jne')!], {
        overrides: { codAmount: 1_234_500 },
      });
      await page.reload();
      await page.getByRole('heading', { name: 'Beranda' }).waitFor();
      // Rp 1.234.500 pending (the hold), in Indonesian grouping; the delivered shipment counted.
      await page
        .getByText(/Rp\s?1\.234\.500/)
        .first()
        .waitFor();
      // The courier's 30-day figures: one delivered of one ended.
      const jne = page.locator('.courier-rates tbody tr').filter({ hasText: 'JNE' });
      await jne.waitFor();
      expect((await jne.locator('td.num').allTextContents()).map((s) => s.replace(/\s/g, ''))).toEqual([
        '100%',
        '0%',
        '1',
      ]);
      await page.getByText('Tidak ada yang perlu ditangani sekarang.').waitFor();
      await axeCheck(page);
      await screenshot(page, 'beranda');

      // English by the switch, remembered across a reload, with <html lang> following.
      await page.getByLabel('Bahasa').selectOption('en');
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await page.getByLabel('Language').selectOption('id');
      await page.getByRole('heading', { name: 'Beranda' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('id');

      // Log out, then in again through the form; the session survives a reload. Logging out ends the
      // token at the API too, not only in this browser.
      const token = await page.evaluate<string>("localStorage.getItem('kirim.token')");
      await http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(200);
      if (width === 360) await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('button', { name: 'Keluar' }).click();
      await page.getByRole('heading', { name: 'Masuk ke Kirim' }).waitFor();
      await http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(401);
      await screenshot(page, 'masuk');
      await axeCheck(page);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Kata sandi').fill('kata sandi yang panjang');
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.getByRole('heading', { name: 'Beranda' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Beranda' }).waitFor();
    });
  }

  it('returns to the login page with a message when the session has ended (an expired token)', async () => {
    const seller = await signupSeller(http, 'Toko Sesi');
    // The seller's own token, signed by the service, whose expiry has passed.
    const expired = t.app
      .get(JwtService)
      .sign({ sub: seller.userId, exp: Math.floor(Date.now() / 1000) - 60 } as object);
    await http
      .get('/v1/me')
      .set({ authorization: `Bearer ${expired}` })
      .expect(401);
    const page = await browser.openPage(`${t.url}/pengiriman`, {
      width: 1280,
      beforeLoad: (p) => p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(expired)})`),
    });
    await page.getByText('Sesi Anda telah berakhir. Silakan masuk lagi.').waitFor();
    await page.getByRole('heading', { name: 'Masuk ke Kirim' }).waitFor();
    expect(await page.evaluate("localStorage.getItem('kirim.token')")).toBeNull();
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 401/)]);
    await axeCheck(page);
  });
});
