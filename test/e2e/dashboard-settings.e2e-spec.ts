import type { Page } from 'playwright-core';
import supertest from 'supertest';
import { verifySignature } from 'src/sellers/notifications/webhook-signature';
import { axeCheck, PageWidth, screenshot, takePageErrors, useBrowser } from '../support/browser';
import { signupSeller, TestSeller, uniqueEmail } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * The Pengaturan page in real headless Chromium against the real app and PostgreSQL: the owner adds a
 * pickup address (a refused postal code shown by its field), a bank account (shown masked), changes the
 * courier preset, points the webhook at a local receiver and sends a signed test, creates an API key
 * (shown once, copied, working against the API) and adds a staff user, who then sees the owner's
 * sections without their writes — at 360 px and 1280 px, each view checked by axe-core and photographed.
 */
describe('the Pengaturan page in a browser', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let owner: TestSeller;
  let receiver: WebhookReceiver;
  const browser = useBrowser();

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    owner = await signupSeller(http, 'Toko Pengaturan');
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  const open = (token: string, width: PageWidth) =>
    browser.openPage(`${t.url}/pengaturan`, {
      width,
      // Only into a fresh page: a reload keeps the token the page holds by then (a password change's new one).
      beforeLoad: (p) =>
        p.addInitScript(
          `localStorage.getItem('kirim.token') || localStorage.setItem('kirim.token', ${JSON.stringify(token)})`,
        ),
    });
  const section = (page: Page, id: string) => page.locator(`section#${id}`);
  const get = async (path: string) =>
    (await http.get(path).set(owner.auth).expect(200)).body as Record<string, unknown> & { items: never[] };

  for (const width of [360, 1280] as PageWidth[]) {
    it(`the owner sets the shop up and a staff member sees it read-only (${width} px)`, async () => {
      const page = await open(owner.token, width);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
      await page.getByRole('heading', { name: 'Pengaturan', level: 1 }).waitFor();

      // An address: the API's refusal of the postal code by its field, then saved with the phone in E.164.
      const addresses = section(page, 'alamat');
      const label = `Gudang ${width}`;
      await addresses.getByRole('button', { name: 'Tambah alamat' }).click();
      const fill = async (field: string, value: string) =>
        addresses.getByLabel(field, { exact: true }).fill(value);
      await fill('Nama alamat', label);
      await fill('Nama kontak', 'Sekar Ayu');
      await fill('Nomor HP', '0812 3456 7890');
      await fill('Alamat lengkap', 'Jl. Braga No. 12');
      await fill('Kecamatan', 'Sumur Bandung');
      await fill('Kota/Kabupaten', 'Bandung');
      await fill('Provinsi', 'Jawa Barat');
      await fill('Kode pos', '123');
      await addresses.getByRole('button', { name: 'Simpan alamat' }).click();
      const postalField = addresses.locator('.field', { has: page.getByLabel('Kode pos', { exact: true }) });
      await postalField.locator('.field-error').waitFor();
      expect(await postalField.locator('.field-error').innerText()).toBe('Harus kode pos 5 angka.');
      expect(await addresses.getByLabel('Kode pos', { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      );
      await page.getByText('Periksa kembali isian yang ditandai.').waitFor();
      expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 400/)]);
      await screenshot(page, 'pengaturan-address-error');
      await fill('Kode pos', '40111');
      await addresses.getByRole('button', { name: 'Simpan alamat' }).click();
      const listed = addresses.getByTestId('address-item').filter({ hasText: label });
      await listed.waitFor();
      expect(await listed.innerText()).toContain('+6281234567890');
      const saved = (await get('/v1/addresses?limit=500')).items as { label: string; phone: string }[];
      expect(saved.find((a) => a.label === label)).toMatchObject({ phone: '+6281234567890' });

      // A bank account: listed masked as the API gives it; the full number is nowhere on the page.
      const bank = section(page, 'rekening');
      const number = `98765432${width}`;
      await bank.getByLabel('Bank', { exact: true }).selectOption('BNI');
      await bank.getByLabel('Nomor rekening').fill(number);
      await bank.getByLabel('Nama pemilik rekening').fill('Sekar Ayu');
      await bank.getByRole('button', { name: 'Tambah rekening' }).click();
      await bank
        .getByTestId('bank-account')
        .filter({ hasText: number.slice(-4) })
        .waitFor();
      const accounts = (await get('/v1/bank-accounts')).items as {
        bankCode: string;
        accountNumber: string;
      }[];
      const account = accounts.find((a) => a.accountNumber.endsWith(number.slice(-4)))!;
      expect(account).toMatchObject({
        bankCode: 'BNI',
        accountNumber: expect.stringMatching(new RegExp(`^\\*+${number.slice(-4)}$`)),
      });
      await bank.getByTestId('bank-account').filter({ hasText: account.accountNumber }).waitFor();
      expect(await page.locator('body').innerText()).not.toContain(number);

      // The courier preset: the API has the choice.
      const preset = width === 360 ? 'fastest' : 'safest';
      const kurir = section(page, 'kurir');
      await kurir.getByLabel(width === 360 ? 'Tercepat' : 'Teraman').check();
      await kurir.getByRole('button', { name: 'Simpan' }).click();
      await kurir.getByText(/^Tersimpan: kurir dipilih/).waitFor();
      expect((await get('/v1/settings')).scoringPreset).toBe(preset);

      // The webhook: URL saved, the secret masked until shown, a signed test delivered and logged.
      const webhook = section(page, 'webhook');
      const path = `/hook-${width}`;
      await webhook.getByLabel('URL webhook').fill(receiver.url(path));
      await webhook.getByRole('button', { name: 'Simpan URL' }).click();
      // Exact: the hint shown before any save ("Kunci dibuat otomatis saat URL webhook disimpan.") contains these words too.
      await webhook.getByText('URL webhook disimpan.', { exact: true }).waitFor();
      const secret = (await get('/v1/settings')).webhookSecret as string;
      expect(secret).toMatch(/^whsec_/);
      const secretInput = webhook.getByLabel('Kunci rahasia webhook');
      expect(await secretInput.getAttribute('type')).toBe('password');
      await webhook.getByRole('button', { name: 'Tampilkan' }).click();
      expect(await secretInput.getAttribute('type')).toBe('text');
      expect(await secretInput.inputValue()).toBe(secret);
      await webhook.getByRole('button', { name: 'Kirim uji' }).click();
      await webhook.getByText('Uji terkirim: server Anda menjawab HTTP 200.').waitFor();
      const got = receiver.received.filter((r) => r.path === path);
      expect(got.map((r) => r.type)).toEqual(['webhook.test']);
      expect(verifySignature(secret, got[0].rawBody, got[0].signature, t.realClock.now()).valid).toBe(true);
      const logged = webhook.getByTestId('webhook-delivery').filter({ hasText: 'webhook.test' });
      await logged.first().waitFor();
      expect(await logged.first().innerText()).toMatch(/Terkirim[\s\S]*HTTP 200/);

      // An API key: shown once, copied, working as X-Api-Key; after a reload only its prefix is left.
      const keys = section(page, 'api-key');
      const keyName = `Integrasi ${width}`;
      await keys.getByLabel('Nama API key (opsional)').fill(keyName);
      await keys.getByRole('button', { name: 'Buat API key' }).click();
      await keys.getByText(`API key ${keyName} dibuat`).waitFor();
      const key = await keys.getByLabel('API key baru').inputValue();
      await keys.getByRole('button', { name: 'Salin' }).click();
      await keys.getByText('Tersalin').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key);
      const me = await http.get('/v1/me').set('X-Api-Key', key).expect(200);
      expect(me.body).toMatchObject({ seller: { id: owner.sellerId }, apiKey: { name: keyName } });
      const prefix = (me.body as { apiKey: { prefix: string } }).apiKey.prefix;
      await keys.getByTestId('api-key').filter({ hasText: keyName }).waitFor();
      await axeCheck(page);
      await screenshot(page, 'pengaturan-api-key-once');
      await page.reload();
      await keys.getByTestId('api-key').filter({ hasText: keyName }).getByText(`${prefix}…`).waitFor();
      // It says who made it.
      await keys
        .getByTestId('api-key')
        .filter({ hasText: keyName })
        .getByText(`oleh ${owner.email}`)
        .waitFor();
      expect(await page.locator('body').innerText()).not.toContain(key);
      expect(await page.locator(`input[value="${key}"]`).count()).toBe(0);

      // A staff user: added and listed; the API has them.
      const users = section(page, 'pengguna');
      const staffEmail = uniqueEmail(`staf-${width}`);
      const staffPassword = 'kata sandi staf 123';
      await users.getByLabel('Email').fill(staffEmail);
      await users.getByLabel('Kata sandi awal').fill(staffPassword);
      await users.getByLabel('Peran').selectOption({ label: 'Staf' });
      await users.getByRole('button', { name: 'Tambah pengguna' }).click();
      await users.getByTestId('user').filter({ hasText: staffEmail }).getByText(/Staf/).waitFor();
      const listedUsers = (await get('/v1/users')).items as { email: string; role: string }[];
      expect(listedUsers.find((u) => u.email === staffEmail)).toMatchObject({ role: 'seller_staff' });
      await axeCheck(page);
      await screenshot(page, 'pengaturan');
      // No sideways scrolling of the page at either width.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);

      // The staff member: the owner's sections say so, and no write of the owner's is offered.
      const login = await http.post('/v1/auth/login').send({ email: staffEmail, password: staffPassword });
      const staffPage = await open((login.body as { accessToken: string }).accessToken, width);
      await staffPage.getByRole('heading', { name: 'Pengaturan', level: 1 }).waitFor();
      await section(staffPage, 'alamat').getByTestId('address-item').first().waitFor();
      for (const id of ['rekening', 'api-key', 'pengguna'])
        await section(staffPage, id)
          .getByText('Hanya pemilik toko yang dapat melihat dan mengubah bagian ini.')
          .waitFor();
      const staffKurir = section(staffPage, 'kurir');
      await staffKurir.getByText('Hanya pemilik toko yang dapat mengubah pengaturan ini.').waitFor();
      expect(await staffKurir.getByLabel(width === 360 ? 'Tercepat' : 'Teraman').isChecked()).toBe(true);
      expect(await staffKurir.getByLabel('Seimbang').isDisabled()).toBe(true);
      const staffWebhook = section(staffPage, 'webhook');
      expect(await staffWebhook.getByLabel('URL webhook').inputValue()).toBe(receiver.url(path));
      await staffWebhook.getByText('Kunci sudah dibuat; hanya pemilik toko yang dapat melihatnya.').waitFor();
      for (const name of [
        'Tambah rekening',
        'Simpan',
        'Simpan URL',
        'Buat ulang kunci',
        'Buat API key',
        'Tambah pengguna',
      ])
        expect(await staffPage.getByRole('button', { name, exact: true }).count()).toBe(0);
      expect(await staffPage.locator('body').innerText()).not.toContain(secret);
      await axeCheck(staffPage);
      await screenshot(staffPage, 'pengaturan-staff');
    });
  }

  it('deletes an address after a confirmation and shows the API’s refusal of a write by its message', async () => {
    const page = await open(owner.token, 1280);
    const addresses = section(page, 'alamat');
    const item = addresses.getByTestId('address-item').filter({ hasText: 'Gudang 360' });
    await item.getByRole('button', { name: 'Hapus' }).click();
    await item.getByRole('button', { name: 'Batal' }).click();
    await item.getByRole('button', { name: 'Hapus' }).click();
    await item.getByRole('button', { name: 'Ya, hapus' }).click();
    await addresses.getByText('Alamat Gudang 360 dihapus.').waitFor();
    await item.waitFor({ state: 'detached' });
    const left = (await get('/v1/addresses?limit=500')).items as { label: string }[];
    expect(left.map((a) => a.label)).not.toContain('Gudang 360');

    // Changing an address (PATCH): the form opens filled, the list and the API have the change.
    await addresses
      .getByTestId('address-item')
      .filter({ hasText: 'Gudang 1280' })
      .getByRole('button', { name: 'Ubah' })
      .click();
    // Its text is now in the form's fields.
    const other = addresses.getByTestId('address-item').filter({ has: page.locator('form') });
    expect(await other.getByLabel('Nama alamat').inputValue()).toBe('Gudang 1280');
    expect(await other.getByLabel('Nomor HP').inputValue()).toBe('+6281234567890');
    // A district of the new city too: the API resolves the place against the area directory.
    await other.getByLabel('Kecamatan').fill('Cimahi Tengah');
    await other.getByLabel('Kota/Kabupaten').fill('Kota Cimahi');
    await other.getByRole('button', { name: 'Simpan' }).click();
    await addresses.getByTestId('address-item').filter({ hasText: 'Kota Cimahi' }).waitFor();
    const changed = (await get('/v1/addresses?limit=500')).items as { label: string; city: string }[];
    expect(changed.find((a) => a.label === 'Gudang 1280')).toMatchObject({ city: 'Kota Cimahi' });

    // Revoking an API key: it stops working at once.
    const key = (await http.post('/v1/api-keys').set(owner.auth).send({ name: 'Dicabut' }).expect(201))
      .body as {
      key: string;
    };
    await page.reload();
    const keyItem = section(page, 'api-key').getByTestId('api-key').filter({ hasText: 'Dicabut' });
    await keyItem.getByRole('button', { name: 'Cabut' }).click();
    await keyItem.getByRole('button', { name: 'Cabut' }).click();
    await section(page, 'api-key').getByText('API key Dicabut dicabut.').waitFor();
    await keyItem.getByText(/dicabut \d/).waitFor();
    await http.get('/v1/me').set('X-Api-Key', key.key).expect(401);

    // A test with no webhook URL set: the API's 422 message is shown, not a crash.
    await http.patch('/v1/settings').set(owner.auth).send({ webhookUrl: null }).expect(200);
    await section(page, 'webhook').getByRole('button', { name: 'Kirim uji' }).click();
    await section(page, 'webhook').locator('.form-error').waitFor();
    expect(await section(page, 'webhook').locator('.form-error').innerText()).toBe(
      'Isi URL webhook terlebih dahulu.',
    );
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 422/)]);

    // A URL the API will not send to is told why under the field, in Indonesian (it was the API's English).
    const webhook = section(page, 'webhook');
    const urlError = webhook
      .locator('.field', { has: page.getByLabel('URL webhook') })
      .locator('.field-error');
    await webhook.getByLabel('URL webhook').fill('https://169.254.169.254/latest/meta-data');
    await webhook.getByRole('button', { name: 'Simpan URL' }).click();
    await urlError.waitFor();
    expect(await urlError.innerText()).toBe(
      'Mengarah ke alamat link-local atau metadata cloud; webhook hanya dikirim ke alamat internet publik.',
    );
    await screenshot(page, 'pengaturan-webhook-ditolak');
    await page.setViewportSize({ width: 360, height: 800 });
    await screenshot(page, 'pengaturan-webhook-ditolak');
    await page.setViewportSize({ width: 1280, height: 800 });
    await webhook.getByLabel('URL webhook').fill('https://kasir:rahasia@toko.example/hook');
    await webhook.getByRole('button', { name: 'Simpan URL' }).click();
    await webhook.getByText('Tidak boleh memuat nama pengguna dan kata sandi (user:password@).').waitFor();
    expect(takePageErrors(page)).toEqual([
      expect.stringMatching(/status of 422/),
      expect.stringMatching(/status of 400/),
    ]);
  });

  for (const width of [360, 1280] as PageWidth[])
    it(`offers the districts a place it does not know may mean, and one click fills them in (${width} px)`, async () => {
      const page = await open(owner.token, width);
      const addresses = section(page, 'alamat');
      await addresses.getByRole('button', { name: 'Tambah alamat' }).click();
      const field = (name: string) => addresses.getByLabel(name, { exact: true });
      const label = `Gudang Saran ${width}`;
      for (const [name, value] of [
        ['Nama alamat', label],
        ['Nama kontak', 'Sekar Ayu'],
        ['Nomor HP', '081234567890'],
        ['Alamat lengkap', 'Jl. Gatot Subroto No. 3'],
        ['Kecamatan', 'Cimahi Tengah'],
        ['Kota/Kabupaten', 'Bandung'],
        ['Provinsi', 'Jawa Barat'],
        ['Kode pos', '40525'],
      ])
        await field(name).fill(value);
      await addresses.getByRole('button', { name: 'Simpan alamat' }).click();
      // Cimahi Tengah is in Kota Cimahi, not Bandung: the API says so with the districts it may mean.
      const districtField = addresses.locator('.field', {
        has: page.getByLabel('Kecamatan', { exact: true }),
      });
      await districtField.locator('.field-error').waitFor();
      expect(await districtField.locator('.field-error').innerText()).toBe(
        'Kecamatan ini tidak kami kenal di kota dan provinsi itu: lihat sarannya.',
      );
      const choices = addresses.getByRole('group', { name: /Maksud Anda salah satu tempat ini/ });
      const choice = choices.getByRole('button', { name: 'Cimahi Tengah, Kota Cimahi, Jawa Barat' });
      await choice.waitFor();
      expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 422/)]);
      await axeCheck(page);
      await screenshot(page, 'pengaturan-alamat-saran');
      // By keyboard: the pick fills the place, the suggestions and the field's complaint go, focus moves to saving.
      await choice.focus();
      await page.keyboard.press('Enter');
      expect(await field('Kecamatan').inputValue()).toBe('Cimahi Tengah');
      expect(await field('Kota/Kabupaten').inputValue()).toBe('Kota Cimahi');
      expect(await field('Provinsi').inputValue()).toBe('Jawa Barat');
      expect(await choices.count()).toBe(0);
      expect(await districtField.locator('.field-error').count()).toBe(0);
      await addresses.getByRole('button', { name: 'Simpan alamat' }).and(page.locator(':focus')).waitFor();
      await page.keyboard.press('Enter');
      await addresses.getByTestId('address-item').filter({ hasText: label }).waitFor();
      const saved = (await get('/v1/addresses?limit=500')).items as { label: string; city: string }[];
      expect(saved.find((a) => a.label === label)).toMatchObject({ city: 'Kota Cimahi' });
    });

  for (const width of [360, 1280] as PageWidth[])
    it(`a person changes their password and signs out everywhere (${width} px)`, async () => {
      const person = await signupSeller(http, `Toko Akun ${width}`);
      const elsewhere = (
        await http.post('/v1/auth/login').send({ email: person.email, password: person.password }).expect(200)
      ).body.accessToken as string;
      const page = await open(person.token, width);
      const account = section(page, 'akun');
      await account.getByRole('heading', { name: 'Akun Anda' }).waitFor();

      // The wrong current password is shown at its field; the session goes on.
      await account.getByLabel('Kata sandi sekarang').fill('bukan kata sandinya');
      await account.getByLabel('Kata sandi baru').fill('rahasia baru sekali');
      await account.getByRole('button', { name: 'Ganti kata sandi' }).click();
      await account.locator('.field-error').first().waitFor();
      expect(await account.locator('.field-error').first().innerText()).toBe(
        'Bukan kata sandi Anda saat ini.',
      );
      expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 422/)]);

      await account.getByLabel('Kata sandi sekarang').fill(person.password);
      await account.getByLabel('Kata sandi baru').fill('rahasia baru sekali');
      await account.getByRole('button', { name: 'Ganti kata sandi' }).click();
      await account.getByText('Kata sandi diganti.', { exact: false }).waitFor();
      await axeCheck(page);
      await screenshot(page, 'pengaturan-akun');
      // The other device is out; this page goes on with its new token.
      await http.get('/v1/me').set('authorization', `Bearer ${elsewhere}`).expect(401);
      await page.reload();
      await section(page, 'akun').getByRole('heading', { name: 'Akun Anda' }).waitFor();
      const another = (
        await http
          .post('/v1/auth/login')
          .send({ email: person.email, password: 'rahasia baru sekali' })
          .expect(200)
      ).body.accessToken as string;

      // Signing out everywhere ends this page's session and every other.
      const token = await page.evaluate<string>("localStorage.getItem('kirim.token')");
      await section(page, 'akun').getByRole('button', { name: 'Keluar dari semua perangkat' }).click();
      await section(page, 'akun').getByRole('button', { name: 'Keluar dari semua perangkat' }).click();
      await page.getByText('Anda telah keluar.').waitFor();
      await http.get('/v1/me').set('authorization', `Bearer ${token}`).expect(401);
      await http.get('/v1/me').set('authorization', `Bearer ${another}`).expect(401);
    });
});
