import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import { PickupService } from 'src/shipments/pickup.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import { axeCheck, PageWidth, screenshot, takePageErrors, useBrowser } from '../support/browser';
import { createOperator } from '../support/factories/operators';
import { uniqueEmail } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;
const COD = 1_750_000;
const rupiah = (n: number) =>
  new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(n);
/** `Rp 1.750.000` as the page writes it (Intl puts a no-break space after Rp). */
const rupiahText = (n: number) => new RegExp(rupiah(n).replace(/\s/g, '\\s').replace(/\./g, '\\.'));

/**
 * The whole journey through the dashboard in real headless Chromium, against the real app,
 * PostgreSQL and courier sandboxes, at a phone's 360 px and a desktop's 1280 px. A seller signs up,
 * adds a pickup address and a bank account, types a COD shipment and sees the couriers compared, creates
 * it and requests its pickup; the courier fails a delivery (the sandbox advances the parcel), the
 * timeline and an alert appear, the seller asks for a re-attempt from Peringatan; the parcel is delivered
 * and Beranda shows the COD credit. After the hold, finance runs invoicing and exports the period, the
 * seller asks to withdraw, finance approves it, the payout job pays it, and the seller sees it paid.
 * Every step is a click or a keystroke in the page; the test only moves the sandbox and the clock and
 * runs the jobs a scheduler would.
 */
describe('the dashboard, from signup to cash in the bank', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let admin: { auth: Record<string, string> };
  let finance: { auth: Record<string, string> };
  const browser = useBrowser();

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    admin = await createOperator(t, http, 'admin');
    finance = await createOperator(t, http, 'finance');
  });
  afterAll(() => t.close());

  /** Follows a link of the main navigation, through the menu on a phone. */
  const go = async (page: Page, width: PageWidth, name: string) => {
    const nav = page.getByRole('navigation', { name: 'Navigasi utama' });
    if (width === 360 && !(await nav.getByRole('link', { name, exact: true }).isVisible()))
      await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { name, level: 1, exact: true }).waitFor();
  };
  const runJob = (name: string) =>
    http.post(`/sandbox/jobs/${name}/run`).set(admin.auth).send({}).expect(200);

  for (const width of [360, 1280] as PageWidth[]) {
    it(`a seller ships a COD parcel and is paid its cash; finance invoices and pays out (${width} px)`, async () => {
      // Sign up through the form.
      const page = await browser.openPage(`${t.url}/daftar`, { width });
      const email = uniqueEmail(`journey-${width}`);
      const shopName = `Toko Perjalanan ${width}`;
      await page.getByLabel('Nama toko').fill(shopName);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Kata sandi').fill('kata sandi yang panjang');
      await page.getByRole('button', { name: 'Daftar' }).click();
      await page.getByRole('heading', { name: 'Beranda', level: 1 }).waitFor();
      const token = await page.evaluate<string>("localStorage.getItem('kirim.token')");
      const seller = { authorization: `Bearer ${token}` };
      const shipmentOf = async (reference: string) => {
        const list = await http.get('/v1/shipments').query({ q: reference }).set(seller).expect(200);
        const id = (list.body.items as { id: string }[])[0].id;
        return (await http.get(`/v1/shipments/${id}`).set(seller).expect(200)).body as {
          id: string;
          status: string;
          awb: string;
          events: { description: string }[];
          actions: { action: string }[];
        };
      };

      // Pengaturan: a pickup address and a bank account.
      await go(page, width, 'Pengaturan');
      const addresses = page.locator('section#alamat');
      await addresses.getByRole('button', { name: 'Tambah alamat' }).click();
      for (const [label, value] of [
        ['Nama alamat', 'Gudang Braga'],
        ['Nama kontak', 'Sekar Ayu'],
        ['Nomor HP', '0812 3456 7890'],
        ['Alamat lengkap', 'Jl. Braga No. 12'],
        ['Kecamatan', 'Sumur Bandung'],
        ['Kota/Kabupaten', 'Bandung'],
        ['Provinsi', 'Jawa Barat'],
        ['Kode pos', '40111'],
      ])
        await addresses.getByLabel(label, { exact: true }).fill(value);
      await addresses.getByRole('button', { name: 'Simpan alamat' }).click();
      await addresses.getByTestId('address-item').filter({ hasText: 'Gudang Braga' }).waitFor();
      const bank = page.locator('section#rekening');
      await bank.getByLabel('Bank', { exact: true }).selectOption('BCA');
      await bank.getByLabel('Nomor rekening').fill('1234567890');
      await bank.getByLabel('Nama pemilik rekening').fill('Sekar Ayu');
      await bank.getByRole('button', { name: 'Tambah rekening' }).click();
      await bank.getByText('******7890').waitFor();

      // Kirim paket: the couriers compared as the seller types, the shipment created, its pickup booked.
      await go(page, width, 'Kirim paket');
      const reference = `JALAN-${width}`;
      for (const [label, value] of [
        ['Nomor pesanan', reference],
        ['Nama penerima', 'Budi Santoso'],
        ['Nomor HP penerima', '0812-9876-5432'],
        ['Alamat lengkap', 'Jl. Kebon Sirih No. 5'],
        ['Kecamatan (opsional)', 'Menteng'],
        ['Kota/kabupaten', 'Jakarta Pusat'],
        ['Provinsi', 'DKI Jakarta'],
        ['Kode pos', '10340'],
        ['Berat (gram)', '1200'],
        ['Nilai COD (Rp)', COD.toLocaleString('id-ID')],
      ])
        await page.getByLabel(label, { exact: true }).fill(value);
      const options = page.getByTestId('quote-option');
      await options.filter({ hasText: 'Rekomendasi' }).waitFor();
      expect(await options.count()).toBeGreaterThan(5);
      await page.getByTestId('quote-why').waitFor();
      await axeCheck(page);
      await screenshot(page, 'jalan-kirim');
      await page.getByRole('button', { name: 'Buat pengiriman' }).click();
      await page.getByRole('button', { name: 'Minta pickup' }).click();
      await page.getByTestId('pickup-item').waitFor();
      while ((await t.app.get(PickupService).processDue(50)) > 0);
      await page.getByText('Pemesanan pickup selesai.').waitFor();
      const booked = await shipmentOf(reference);
      expect(booked.status).toBe('booked');
      await page.getByTestId('pickup-item').getByText(booked.awb).waitFor();

      // The courier picks it up and fails the first delivery; the poller hears of it.
      const advanceTo = async (steps: string[], until: string) => {
        t.clock.advance(3600_000);
        for (const to of steps)
          await http.post(`/sandbox/parcels/${booked.awb}/advance`).set(seller).send({ to }).expect(200);
        for (let round = 0; round < 12 && (await shipmentOf(reference)).status !== until; round += 1) {
          t.clock.advance(2 * 3600_000);
          await t.app.get(TrackingPoller).pollDue();
        }
        expect((await shipmentOf(reference)).status).toBe(until);
      };
      await advanceTo(['picked_up', 'delivery_failed'], 'delivery_failed');
      const failed = await shipmentOf(reference);

      // Pengiriman: the timeline in the courier's own words and the alert, on the shipment's page.
      await go(page, width, 'Pengiriman');
      await page.getByRole('link', { name: reference }).click();
      await page.getByRole('heading', { name: `Pengiriman ${reference}` }).waitFor();
      const lastEvent = failed.events[failed.events.length - 1].description;
      await page.getByTestId('timeline-event').filter({ hasText: lastEvent }).waitFor();
      await page.getByRole('region', { name: 'Peringatan' }).getByText('Gagal antar').first().waitFor();
      await axeCheck(page);
      await screenshot(page, 'jalan-gagal');

      // Peringatan: act on it — a re-attempt, which the API records.
      await go(page, width, 'Peringatan');
      const alert = page.getByTestId('alert').first();
      await alert.getByRole('link', { name: `Lihat pengiriman ${reference}` }).waitFor();
      await alert.getByRole('button', { name: 'Antar ulang' }).click();
      await alert.getByText(/Permintaan Antar ulang dicatat/).waitFor();
      expect((await shipmentOf(reference)).actions.map((a) => a.action)).toEqual(['reattempt']);
      await axeCheck(page);

      // Delivered on the second attempt: Beranda shows the COD cash, held as pending.
      await advanceTo(['out_for_delivery', 'delivered'], 'delivered');
      await go(page, width, 'Beranda');
      const pending = page.locator('.figure').filter({ hasText: 'Tertunda' });
      await pending.getByText(rupiahText(COD)).waitFor();
      await screenshot(page, 'jalan-beranda');

      // The hold ends and the period closes: the cash is available, finance invoices the period.
      t.clock.advance(15 * DAY);
      await runJob('ledger-holds');
      const financePage = await browser.openPage(`${t.url}/keuangan/tagihan`, {
        width,
        beforeLoad: (p) =>
          p.addInitScript(
            `localStorage.setItem('kirim.token', ${JSON.stringify(finance.auth.authorization.slice('Bearer '.length))})`,
          ),
      });
      await financePage.getByRole('heading', { name: 'Tagihan', level: 1 }).waitFor();
      const today = new Date(t.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10);
      await financePage.getByLabel('Per tanggal').fill(today);
      await financePage.getByRole('button', { name: 'Jalankan penagihan' }).click();
      await financePage
        .getByRole('status')
        .filter({ hasText: /^Selesai: \d+ tagihan terbit/ })
        .waitFor();
      const invoice = (await http.get('/v1/invoices').set(seller).expect(200)).body.items[0] as {
        number: string;
        total: number;
      };
      expect(invoice.total).toBeGreaterThan(0);
      const row = financePage.getByTestId('invoice-row').filter({ hasText: invoice.number });
      await row.waitFor();
      expect(await row.innerText()).toContain(shopName);
      const [csv] = await Promise.all([
        financePage.waitForEvent('download'),
        financePage.getByRole('button', { name: 'Unduh CSV' }).click(),
      ]);
      expect(readFileSync(await csv.path(), 'utf8')).toContain(invoice.number);
      await screenshot(financePage, 'jalan-tagihan');

      // Saldo: the seller withdraws to its saved account (above the amount approved without finance).
      const balance = (await http.get('/v1/balance').set(seller).expect(200)).body as {
        withdrawable: number;
      };
      expect(balance.withdrawable).toBe(COD - invoice.total);
      await go(page, width, 'Saldo');
      await page
        .locator('.figure')
        .filter({ hasText: 'Bisa ditarik' })
        .getByText(rupiahText(balance.withdrawable))
        .waitFor();
      const amount = 1_500_000;
      await page.getByLabel('Jumlah').fill(String(amount));
      await page.getByRole('button', { name: 'Ajukan penarikan' }).click();
      await page.getByText(/Penarikan Rp\s?1\.500\.000 diajukan/).waitFor();
      await page.getByText('Menunggu persetujuan').first().waitFor();

      // Penarikan: finance approves it; the payout job pays it.
      await go(financePage, width, 'Penarikan');
      const withdrawal = (await http.get('/v1/withdrawals').set(seller).expect(200)).body.items[0] as {
        id: string;
      };
      const card = financePage.locator(`[data-testid="withdrawal"][data-id="${withdrawal.id}"]`);
      await card.getByText(shopName).waitFor();
      await card.getByRole('button', { name: 'Setujui' }).click();
      await card.getByRole('button', { name: 'Ya, setujui' }).click();
      await card.getByText('Disetujui', { exact: true }).waitFor();
      await axeCheck(financePage);
      // Sent on the first run; the provider's answer is read on a run after its check interval.
      await runJob('payouts');
      t.clock.advance(10 * 60_000);
      await runJob('payouts');
      expect((await http.get(`/v1/withdrawals/${withdrawal.id}`).set(seller).expect(200)).body.status).toBe(
        'paid',
      );

      // The seller sees it paid.
      await page.reload();
      await page.getByRole('heading', { name: 'Saldo', level: 1 }).waitFor();
      await page.getByText('Sudah ditransfer').first().waitFor();
      await axeCheck(page);
      await screenshot(page, 'jalan-saldo');
      expect(takePageErrors(page)).toEqual([]);
      expect(takePageErrors(financePage)).toEqual([]);
      // The whole journey, two browsers and every job between: about half a minute alone, twice that
      // on a busy machine, over jest's default minute.
    }, 180_000);
  }
});
