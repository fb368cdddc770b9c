import { JwtService } from '@nestjs/jwt';
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import { axeCheck, isFocused, PageWidth, screenshot, takePageErrors, useBrowser } from '../support/browser';
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
      // An email already registered is told so under its field, in Indonesian.
      const taken = await signupSeller(http, 'Toko Sudah Ada');
      await page.getByLabel('Email').fill(taken.email);
      await page.getByLabel('Kata sandi').fill('kata sandi yang panjang');
      await page.getByRole('button', { name: 'Daftar' }).click();
      await page.getByText('Sudah terdaftar.').waitFor();
      expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 409/)]);
      await page.getByLabel('Email').fill(email);
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
      expect(await page.title()).toBe('Beranda · Kirim');
      if (width === 360) {
        // The phone's menu closes with Escape, giving the keyboard back to its button.
        const menu = page.getByRole('button', { name: 'Menu' });
        await menu.click();
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        await page.keyboard.press('Escape');
        expect(await menu.getAttribute('aria-expanded')).toBe('false');
        expect(await isFocused(menu)).toBe(true);
        await menu.click();
      }
      await page.getByRole('button', { name: 'Keluar' }).click();
      await page.getByRole('heading', { name: 'Masuk ke Kirim' }).waitFor();
      expect(await page.title()).toBe('Masuk ke Kirim · Kirim');
      await http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(401);
      await screenshot(page, 'masuk');
      await axeCheck(page);
      // Sent empty: each field says it is needed, before anything is asked of the API.
      await page.getByRole('button', { name: 'Masuk' }).click();
      for (const name of ['Email', 'Kata sandi'])
        await page
          .locator('.field-invalid')
          .filter({ has: page.getByLabel(name, { exact: true }) })
          .getByText('Wajib diisi.')
          .waitFor();
      expect(takePageErrors(page)).toEqual([]);
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

  describe('another tab of the same browser', () => {
    const who = (page: Page) => page.locator('header .who');
    const go = async (page: Page, name: string) => {
      await page
        .getByRole('navigation', { name: 'Navigasi utama' })
        .getByRole('link', { name, exact: true })
        .click();
      await page.getByRole('heading', { name, level: 1, exact: true }).waitFor();
    };
    const openAs = (token: string, path: string) =>
      browser.openPage(`${t.url}${path}`, {
        width: 1280,
        beforeLoad: (p) => p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(token)})`),
      });

    it('logging in there as another seller carries this tab on as that seller; logging out there signs it out', async () => {
      const alfa = await signupSeller(http, 'Toko Alfa');
      const beta = await signupSeller(http, 'Toko Beta');
      const tab1 = await openAs(alfa.token, '/pengiriman');
      await tab1.getByRole('heading', { name: 'Pengiriman', level: 1 }).waitFor();
      expect(await who(tab1).textContent()).toBe('Toko Alfa');

      // The second tab shares the browser's storage: it is Alfa too, until it logs out and Beta logs in.
      const tab2 = await tab1.context().newPage();
      await tab2.goto(`${t.url}/`);
      await tab2.getByRole('heading', { name: 'Beranda', level: 1 }).waitFor();
      await tab2.getByRole('button', { name: 'Keluar' }).click();
      await tab2.getByLabel('Email').fill(beta.email);
      await tab2.getByLabel('Kata sandi').fill(beta.password);
      await tab2.getByRole('button', { name: 'Masuk' }).click();
      await tab2.getByRole('heading', { name: 'Beranda', level: 1 }).waitFor();

      // The first tab now names Beta, whose pages it shows (it named Alfa over Beta's data).
      await who(tab1).filter({ hasText: 'Toko Beta' }).waitFor();
      await go(tab1, 'Saldo');
      expect(await who(tab1).textContent()).toBe('Toko Beta');
      expect(await tab1.evaluate("localStorage.getItem('kirim.token')")).not.toBe(alfa.token);

      // Logging out in the second tab takes the first to the login page, saying why.
      await tab2.getByRole('button', { name: 'Keluar' }).click();
      await tab2.getByRole('heading', { name: 'Masuk ke Kirim' }).waitFor();
      await tab1.getByText('Anda telah keluar di tab lain.').waitFor();
      await tab1.getByRole('heading', { name: 'Masuk ke Kirim' }).waitFor();
      await axeCheck(tab1);
      await tab2.close();
    });

    it('a token gone or changed unseen is noticed at the next request, which goes with this tab’s token', async () => {
      const alfa = await signupSeller(http, 'Toko Alfa');
      const beta = await signupSeller(http, 'Toko Beta');
      const tab = await openAs(alfa.token, '/pengiriman');
      await tab.getByRole('heading', { name: 'Pengiriman', level: 1 }).waitFor();
      // A tab is not told of its own storage changes: only the request-time check sees them.
      await tab.evaluate(`localStorage.setItem('kirim.token', ${JSON.stringify(beta.token)})`);
      await go(tab, 'Saldo');
      await who(tab).filter({ hasText: 'Toko Beta' }).waitFor();
      await tab.evaluate("localStorage.removeItem('kirim.token')");
      await tab
        .getByRole('navigation', { name: 'Navigasi utama' })
        .getByRole('link', { name: 'Pengiriman', exact: true })
        .click();
      await tab.getByText('Anda telah keluar di tab lain.').waitFor();
      await tab.getByRole('heading', { name: 'Masuk ke Kirim' }).waitFor();
    });
  });
});
