import { readFileSync } from 'node:fs';
import supertest from 'supertest';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import {
  axeCheck,
  overflowingCells,
  PageWidth,
  screenshot,
  takePageErrors,
  useBrowser,
} from '../support/browser';
import { runInvoicing } from '../support/factories/invoices';
import { addBankAccount, creditAvailable, endPinned } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import { addSellerUser, createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned, PINNED } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { withActionAnswersLost } from '../support/lost-answers';

const DAY = 24 * 3600_000;

interface AlertBody {
  id: string;
  shipmentId: string;
  rule: string;
  message: string;
  messageIndonesian: string | null;
  acknowledgedAt: string | null;
}

/**
 * The Peringatan and Saldo pages in real headless Chromium against the real app and PostgreSQL: alerts
 * raised by real failed deliveries, acknowledged and acted on from the page; the balance, a withdrawal
 * refused by its field and one accepted, the ledger's entries, and an issued invoice downloaded as a PDF
 * — at 360 px and 1280 px, each page checked by axe-core and photographed (test/e2e/screenshots/).
 */
describe('the Peringatan and Saldo pages in a browser', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let invoiceNumber: string;
  const browser = useBrowser();

  const status = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status as string;
  const openAlerts = async () =>
    (await http.get('/v1/alerts?state=open').set(seller.auth).expect(200)).body.items as AlertBody[];
  const balance = async () =>
    (await http.get('/v1/balance').set(seller.auth).expect(200)).body as { withdrawable: number };

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http, 'Toko Saldo Ceria');
    const origin = (await createAddress(http, seller)).id;

    // An invoice: a delivered parcel, its period closed, the invoicing job run.
    await endPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'jne')!]);
    t.clock.set(new Date(t.clock.now().getTime() + 15 * DAY));
    const admin = await createOperator(t, http, 'admin');
    expect((await runInvoicing(http, admin, t.clock.now())).issued).toBeGreaterThanOrEqual(1);
    const invoices = (await http.get('/v1/invoices').set(seller.auth).expect(200)).body.items as {
      number: string;
    }[];
    expect(invoices).toHaveLength(1);
    invoiceNumber = invoices[0].number;

    // Money to withdraw, and a bank account to receive it.
    await creditAvailable(t, seller.sellerId, 2_500_000);
    await addBankAccount(http, seller);

    // Two parcels the couriers failed to deliver: each raises a failed-attempt alert.
    const failed = await bookPinned(t, http, seller, origin, [
      PINNED.find((p) => p.code === 'jnt')!,
      PINNED.find((p) => p.code === 'sap')!,
    ]);
    t.clock.advance(3600_000);
    for (const b of failed)
      for (const to of ['picked_up', 'delivery_failed'])
        await http.post(`/sandbox/parcels/${b.awb}/advance`).set(seller.auth).send({ to }).expect(200);
    for (let round = 0; round < 12; round += 1) {
      const statuses = await Promise.all(failed.map((b) => status(b.id)));
      if (statuses.every((s) => s === 'delivery_failed')) break;
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
    }
    const alerts = await openAlerts();
    expect(alerts.filter((a) => a.rule === 'failed_attempt')).toHaveLength(2);
  });
  afterAll(() => t.close());

  const open = (path: string, width: PageWidth) =>
    browser.openPage(`${t.url}${path}`, {
      width,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(seller.token)})`),
    });

  it('lists the open alerts, filters them and marks one read (360 px)', async () => {
    const page = await open('/peringatan', 360);
    await page.getByRole('heading', { name: 'Peringatan', exact: true }).waitFor();
    const cards = page.getByTestId('alert');
    await cards.first().waitFor();
    expect(await cards.count()).toBe((await openAlerts()).length);
    const first = cards.first();
    // Indonesian severity and rule, the message, the time in WIB, the suggestion and the buyer's WhatsApp.
    await first.getByText(/^Tingkat (Rendah|Sedang|Tinggi|Kritis)$/).waitFor();
    await first.getByRole('heading', { name: /Gagal antar/ }).waitFor();
    await first.getByText(/WIB/).waitFor();
    await first.getByText(/^Saran: /).waitFor();
    // The alert's sentence in Indonesian, as the API words it; nothing in the card is left in English.
    const worded = new Set((await openAlerts()).map((a) => a.messageIndonesian));
    const sentence = (await first.getByText(/ gagal mengantar paket pada percobaan ke-1: /).textContent())!;
    expect(worded.has(sentence)).toBe(true);
    expect(await first.locator('[lang="en"]').count()).toBe(0);
    const whatsapp = first.getByRole('link', { name: 'Chat pembeli di WhatsApp' });
    expect(await whatsapp.getAttribute('href')).toMatch(/^https:\/\/wa\.me\//);
    expect(await whatsapp.getAttribute('target')).toBe('_blank');
    expect(await whatsapp.getAttribute('rel')).toContain('noopener');
    await axeCheck(page);
    await screenshot(page, 'peringatan');

    // "Tandai sudah dibaca": the card says so, and the API has it.
    const shipmentHref = await first.getByRole('link', { name: 'Lihat pengiriman' }).getAttribute('href');
    await first.getByRole('button', { name: 'Tandai sudah dibaca' }).click();
    await first.getByText('Ditandai sudah dibaca.').waitFor();
    await first
      .getByText(/^Sudah dibaca/)
      .first()
      .waitFor();
    expect(await first.getByRole('button', { name: 'Tandai sudah dibaca' }).count()).toBe(0);
    const acknowledged = (await openAlerts()).filter((a) => a.acknowledgedAt !== null);
    expect(acknowledged.map((a) => `/pengiriman/${a.shipmentId}`)).toEqual([shipmentHref]);

    // Filters: a rule with no alert gives the empty state; the resolved list has none yet.
    await page.getByLabel('Jenis').selectOption({ label: 'Terlambat' });
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.getByText('Tidak ada peringatan terbuka').waitFor();
    expect(await cards.count()).toBe(0);
    await page.getByLabel('Jenis').selectOption({ label: 'Gagal antar' });
    await page.getByLabel('Tingkat').selectOption('');
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.getByText('2 peringatan ditampilkan').waitFor();
    const toggle = page.getByRole('button', { name: 'Lihat yang selesai' });
    await toggle.click();
    await page.getByText('Belum ada peringatan yang selesai.').waitFor();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await axeCheck(page);
    // The filters live in the URL: back from an alert's shipment (or a reload), the list is as it was left.
    await toggle.click();
    await page.getByText('2 peringatan ditampilkan').waitFor();
    expect(new URL(page.url()).search).toBe('?rule=failed_attempt');
    await page.reload();
    await page.getByText('2 peringatan ditampilkan').waitFor();
    expect(await page.getByLabel('Jenis').inputValue()).toBe('failed_attempt');
  });

  it('in English, the alert says its English sentence', async () => {
    const page = await browser.openPage(`${t.url}/peringatan`, {
      width: 1280,
      beforeLoad: (p) =>
        p.addInitScript(
          `localStorage.setItem('kirim.token', ${JSON.stringify(seller.token)});` +
            `localStorage.setItem('kirim.language', 'en')`,
        ),
    });
    const first = page.getByTestId('alert').first();
    await first.waitFor();
    const sentence = (await first.getByText(/ could not deliver the parcel on attempt 1: /).textContent())!;
    expect(new Set((await openAlerts()).map((a) => a.message)).has(sentence)).toBe(true);
    expect(await first.getByText(/ gagal mengantar /).count()).toBe(0);
  });

  it('re-attempts a failed delivery from its alert, and shows the API’s refusal for a parcel delivered meanwhile (1280 px)', async () => {
    const page = await open('/peringatan', 1280);
    const cards = page.getByTestId('alert');
    await cards.first().waitFor();
    // What was marked read stays so.
    await page
      .getByText(/^Sudah dibaca/)
      .first()
      .waitFor();
    const card = cards.filter({ has: page.getByRole('button', { name: 'Tandai sudah dibaca' }) }).first();
    const href = (await card.getByRole('link', { name: 'Lihat pengiriman' }).getAttribute('href'))!;
    const shipmentId = href.split('/').pop()!;
    await card.getByRole('button', { name: 'Antar ulang' }).click();
    await card.getByText(/Permintaan Antar ulang dicatat/).waitFor();
    const actions = (await http.get(`/v1/shipments/${shipmentId}`).set(seller.auth).expect(200)).body
      .actions as { action: string }[];
    expect(actions).toEqual([expect.objectContaining({ action: 'reattempt' })]);
    await axeCheck(page);
    await screenshot(page, 'peringatan');

    // The other parcel is delivered meanwhile (the page still offers its buttons): the API refuses the
    // re-attempt, and its message shows by that alert.
    const other = cards.filter({ hasNot: page.locator(`a[href="${href}"]`) }).first();
    const otherId = (await other.getByRole('link', { name: 'Lihat pengiriman' }).getAttribute('href'))!
      .split('/')
      .pop()!;
    const awb = (await http.get(`/v1/shipments/${otherId}`).set(seller.auth).expect(200)).body.awb as string;
    await http.post(`/sandbox/parcels/${awb}/advance`).set(seller.auth).send({ to: 'delivered' }).expect(200);
    for (let round = 0; round < 12 && (await status(otherId)) !== 'delivered'; round += 1) {
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
    }
    expect(await status(otherId)).toBe('delivered');
    await other.getByRole('button', { name: 'Antar ulang' }).click();
    await other
      .getByRole('alert')
      .filter({ hasText: 'Tindakan ini tidak dapat dilakukan pada status pengiriman sekarang.' })
      .waitFor();
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 422/)]);
    const none = (await http.get(`/v1/shipments/${otherId}`).set(seller.auth).expect(200)).body
      .actions as unknown[];
    expect(none).toHaveLength(0);
    await axeCheck(page);
  });

  it('offers a held parcel’s alert its release and reads the parcel again after it, and says a parcel’s return was asked, offering none of the refused actions, but the return again where the courier never answered it (360 and 1280 px)', async () => {
    // Another seller's two JNE parcels failed at delivery: one then held, the other's return asked (not
    // polled since, so both still read delivery_failed, where a re-attempt, a return and a hold are allowed).
    const other = await signupSeller(http, 'Toko Tahan Retur');
    const from = (await createAddress(http, other)).id;
    const jne = PINNED.find((p) => p.code === 'jne')!;
    const [held] = await bookPinned(t, http, other, from, [jne], { reference: 'PERINGATAN-TAHAN' });
    const [returning] = await bookPinned(t, http, other, from, [jne], { reference: 'PERINGATAN-RETUR' });
    const [unsure] = await bookPinned(t, http, other, from, [jne], { reference: 'PERINGATAN-RETUR-RAGU' });
    t.clock.advance(3600_000);
    for (const b of [held, returning, unsure])
      for (const to of ['picked_up', 'delivery_failed'])
        await http.post(`/sandbox/parcels/${b.awb}/advance`).set(other.auth).send({ to }).expect(200);
    const statusOf = async (id: string) =>
      (await http.get(`/v1/shipments/${id}`).set(other.auth).expect(200)).body.status as string;
    for (let round = 0; round < 12; round += 1) {
      if (
        (await Promise.all([held, returning, unsure].map((b) => statusOf(b.id)))).every(
          (s) => s === 'delivery_failed',
        )
      )
        break;
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
    }
    for (const [b, action] of [
      [held, 'hold'],
      [returning, 'return'],
    ] as const) {
      const sent = await http
        .post(`/v1/shipments/${b.id}/actions`)
        .set(other.auth)
        .send({ action })
        .expect(202);
      expect(sent.body.status).toBe('sent');
    }
    // The third's return never reaches JNE, and Kirim's call times out: it cannot tell.
    await withActionAnswersLost(t.app.get(CourierRegistry).get('jne'), { reached: false }, () =>
      http.post(`/v1/shipments/${unsure.id}/actions`).set(other.auth).send({ action: 'return' }).expect(503),
    );

    for (const width of [360, 1280] as PageWidth[]) {
      const page = await browser.openPage(`${t.url}/peringatan`, {
        width,
        beforeLoad: (p) =>
          p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
      });
      const card = (id: string) =>
        page.getByTestId('alert').filter({ has: page.locator(`a[href="/pengiriman/${id}"]`) });
      const heldCard = card(held.id);
      const release = heldCard.getByRole('button', { name: 'Lepaskan tahanan / kirim ulang' });
      await release.waitFor();
      // A second hold is 409 and a plain re-attempt is the release: neither is offered beside it.
      expect(await heldCard.getByRole('button', { name: 'Tahan di hub' }).count()).toBe(0);
      expect(await heldCard.getByRole('button', { name: 'Antar ulang', exact: true }).count()).toBe(0);
      const askedCard = card(returning.id);
      await askedCard.getByRole('link', { name: 'Lihat pengiriman' }).waitFor();
      for (const name of [
        'Tahan di hub',
        'Antar ulang',
        'Retur ke penjual',
        'Lepaskan tahanan / kirim ulang',
      ])
        expect(await askedCard.getByRole('button', { name }).count()).toBe(0);
      // …and says why, as the shipment's page does.
      expect(await askedCard.getByTestId('return-asked').innerText()).toMatch(/^Retur sudah diminta pada /);
      expect(await heldCard.getByTestId('return-asked').count()).toBe(0);
      // The held parcel's card says why it offers the release.
      expect(await heldCard.getByTestId('held-notice').innerText()).toMatch(
        /^Paket ditahan di kurir atas permintaan Anda/,
      );
      expect(await askedCard.getByTestId('held-notice').count()).toBe(0);
      // The return the courier never answered: said so, and only the return offered again.
      const unsureCard = card(unsure.id);
      const again = unsureCard.getByRole('button', { name: 'Retur ke penjual' });
      await again.waitFor();
      for (const name of ['Tahan di hub', 'Antar ulang', 'Lepaskan tahanan / kirim ulang'])
        expect(await unsureCard.getByRole('button', { name }).count()).toBe(0);
      expect(await unsureCard.getByTestId('return-asked').innerText()).toMatch(
        /^Retur diminta pada .+, tetapi jawaban kurir tidak sampai/,
      );
      await axeCheck(page);
      await screenshot(page, 'peringatan-tahan-retur');
      if (width !== 1280) continue;

      // Released from its alert, and said as a release.
      await release.click();
      await heldCard
        .getByRole('status')
        .getByText('Tahanan dilepas: kurir menerima permintaan dan akan mengantar ulang paket.', {
          exact: true,
        })
        .waitFor();
      // The card reads its parcel again: released, it offers no release, nor a plain re-attempt (the release
      // answered this failed attempt: another is 409), but the return.
      await release.waitFor({ state: 'detached' });
      await heldCard.getByRole('button', { name: 'Retur ke penjual' }).waitFor();
      expect(await heldCard.getByRole('button', { name: 'Antar ulang', exact: true }).count()).toBe(0);
      // The button pressed is gone: the keyboard stays on the card, at its heading.
      await heldCard.locator('h2:focus').waitFor();
      expect(await heldCard.getByTestId('held-notice').count()).toBe(0);
      const after = (await http.get(`/v1/shipments/${held.id}`).set(other.auth).expect(200)).body;
      expect(after.actions.map((a: { action: string; status: string }) => [a.action, a.status])).toEqual([
        ['reattempt', 'sent'],
        ['hold', 'sent'],
      ]);

      // The return asked again from its alert: JNE takes it, and the card reads the parcel again: the
      // return is no longer in doubt, and no courier action is offered.
      await again.click();
      await unsureCard.getByRole('button', { name: 'Ya, retur' }).click();
      await again.waitFor({ state: 'detached' });
      await unsureCard
        .getByTestId('return-asked')
        .getByText(/^Retur sudah diminta pada /)
        .waitFor();
      for (const name of ['Retur ke penjual', 'Tahan di hub', 'Antar ulang'])
        expect(await unsureCard.getByRole('button', { name }).count()).toBe(0);
      const taken = (await http.get(`/v1/shipments/${unsure.id}`).set(other.auth).expect(200)).body;
      expect(taken.returnUnconfirmed).toBeNull();
      expect(taken.actions.map((a: { action: string; status: string }) => [a.action, a.status])).toEqual([
        ['return', 'sent'],
        ['return', 'failed'],
      ]);
      expect(takePageErrors(page)).toEqual([]);
    }
  });

  it('shows the balance and entries, refuses a withdrawal over the withdrawable by its field (360 px)', async () => {
    const before = await balance();
    const page = await open('/saldo', 360);
    await page.getByRole('heading', { name: 'Saldo', exact: true }).waitFor();
    const withdrawable = page.getByTestId('balance-withdrawable');
    await withdrawable.waitFor();
    expect(await withdrawable.locator('.amount').innerText()).toBe(
      `Rp\u00a0${before.withdrawable.toLocaleString('id-ID')}`,
    );
    // The ledger's entries: Indonesian labels, the sign written out.
    const entries = page.getByTestId('ledger-entry');
    await entries.first().waitFor();
    await entries.filter({ hasText: 'Dana COD masuk' }).filter({ hasText: '+Rp' }).first().waitFor();
    await page.getByTestId('invoice').filter({ hasText: invoiceNumber }).waitFor();
    await axeCheck(page);
    await screenshot(page, 'saldo');

    // Blank, and more than the API takes: told as the Kirim form tells them, the figure written with dots.
    const fieldError = page.locator('#withdraw-amount-error');
    await page.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await fieldError.getByText('Wajib diisi.', { exact: true }).waitFor();
    await page.getByLabel('Jumlah').fill('9007199254740993');
    await page.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await fieldError.getByText('Maksimal 9.007.199.254.740.991.', { exact: true }).waitFor();
    expect(takePageErrors(page)).toEqual([
      expect.stringMatching(/status of 400/),
      expect.stringMatching(/status of 400/),
    ]);
    await page.getByLabel('Jumlah').fill(String(before.withdrawable + 1));
    await page.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await fieldError.waitFor();
    expect((await fieldError.innerText()).length).toBeGreaterThan(0);
    expect(await page.getByLabel('Jumlah').getAttribute('aria-invalid')).toBe('true');
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 422/)]);
    expect((await balance()).withdrawable).toBe(before.withdrawable);
    const list = (await http.get('/v1/withdrawals').set(seller.auth).expect(200)).body.items as unknown[];
    expect(list).toHaveLength(0);
    await axeCheck(page);

    // Entries filtered to days with none.
    await page.getByLabel('Dari tanggal').fill('2099-01-01');
    await page.getByRole('button', { name: 'Terapkan' }).click();
    await page.getByText('Tidak ada mutasi pada tanggal ini.').waitFor();
    expect(await entries.count()).toBe(0);
  });

  it('requests a withdrawal, lists it with its status, and downloads an invoice’s PDF (1280 px)', async () => {
    const before = await balance();
    const page = await open('/saldo', 1280);
    await page.getByTestId('balance-withdrawable').waitFor();
    await page.getByLabel('Jumlah').fill('500000');
    await page.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await page
      .getByText(/Penarikan Rp\s?500\.000 diajukan\..* Disetujui otomatis; dana sedang ditransfer\.$/)
      .waitFor();
    expect(await page.getByLabel('Jumlah').inputValue()).toBe('');
    const row = page.getByTestId('withdrawal').first();
    await row.getByText('Disetujui, sedang ditransfer').waitFor();
    await row.getByText(/Rp\s?500\.000/).waitFor();
    const withdrawals = (await http.get('/v1/withdrawals').set(seller.auth).expect(200)).body.items as {
      amount: number;
      status: string;
    }[];
    expect(withdrawals).toEqual([expect.objectContaining({ amount: 500_000, status: 'approved' })]);
    const after = await balance();
    expect(after.withdrawable).toBe(before.withdrawable - 500_000);
    await page
      .getByTestId('balance-withdrawable')
      .getByText(`Rp\u00a0${after.withdrawable.toLocaleString('id-ID')}`)
      .waitFor();
    await page.getByTestId('ledger-entry').filter({ hasText: 'Penarikan diajukan' }).first().waitFor();
    // The ledger account a request waits in is named for that, not as the card's "Sedang ditarik" (which
    // also counts approved withdrawals on their way to the bank).
    await page
      .getByTestId('ledger-entry')
      .filter({ hasText: 'Penarikan menunggu persetujuan' })
      .first()
      .waitFor();
    expect(await page.getByTestId('ledger-entry').filter({ hasText: 'Sedang ditarik' }).count()).toBe(0);

    // The invoice: its lines, and its PDF through the bearer-token download.
    const invoice = page.getByTestId('invoice').filter({ hasText: invoiceNumber });
    await invoice.getByRole('button', { name: /Lihat rincian/ }).click();
    await invoice.getByTestId('invoice-line').filter({ hasText: 'Ongkos kirim' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      invoice.getByRole('button', { name: 'Unduh PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^INV-\d{4}-\d{2}-\d{6}\.pdf$/);
    const path = await download.path();
    expect(readFileSync(path).subarray(0, 4).toString('latin1')).toBe('%PDF');

    // Over the automatic limit, the seller is told it waits for finance.
    await page.getByLabel('Jumlah').fill('1200000');
    await page.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await page
      .getByText(
        /Penarikan Rp\s?1\.200\.000 diajukan\..* Tim keuangan Kirim menyetujuinya dulu sebelum dana ditransfer\.$/,
      )
      .waitFor();
    // The test's clock stands still: both withdrawals were made at the same instant, in either order.
    await page
      .getByTestId('withdrawal')
      .filter({ hasText: /Rp\s?1\.200\.000/ })
      .getByText('Menunggu persetujuan')
      .waitFor();
    await axeCheck(page);
    await screenshot(page, 'saldo');
  });
  it('asks again, under the same key, for a withdrawal whose answer was lost: it is made once (360 px)', async () => {
    const page = await open('/saldo', 360);
    await page.getByTestId('balance-withdrawable').waitFor();
    let lost = 0;
    await page.route('**/v1/withdrawals', async (route) => {
      if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
      lost += 1;
      // The API makes the withdrawal; its answer never reaches the page.
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByLabel('Jumlah').fill('300000');
    await page.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await page.getByText('Tidak dapat terhubung ke server').waitFor();
    expect(await page.getByLabel('Jumlah').inputValue()).toBe('300000');
    await page.getByRole('button', { name: 'Ajukan penarikan' }).click();
    await page.getByText(/Penarikan Rp\s?300\.000 diajukan\./).waitFor();
    expect(lost).toBe(1);
    const made = (
      (await http.get('/v1/withdrawals?limit=100').set(seller.auth).expect(200)).body.items as {
        amount: number;
      }[]
    ).filter((w) => w.amount === 300_000);
    expect(made).toHaveLength(1);
    // The browser logs the reset it was given; nothing else went wrong.
    expect(takePageErrors(page)).toEqual([expect.stringContaining('ERR_CONNECTION_RESET')]);
  });

  it('tells a new seller there is nothing yet: no open alerts, no bank account (with the way to add one), no invoices', async () => {
    const fresh = await signupSeller(http, 'Toko Baru Buka');
    const at = (path: string) =>
      browser.openPage(`${t.url}${path}`, {
        width: 360,
        beforeLoad: (p) =>
          p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(fresh.token)})`),
      });
    const alerts = await at('/peringatan');
    await alerts.getByText('Tidak ada peringatan terbuka').waitFor();
    expect(await alerts.getByTestId('alert').count()).toBe(0);
    await axeCheck(alerts);
    await screenshot(alerts, 'peringatan-kosong');

    const saldo = await at('/saldo');
    await saldo.getByText('Belum ada rekening bank tersimpan.').waitFor();
    expect(
      await saldo.getByRole('link', { name: 'Tambah rekening di Pengaturan' }).getAttribute('href'),
    ).toBe('/pengaturan');
    await saldo.getByText('Belum ada tagihan.').waitFor();
    await saldo.getByText('Belum ada penarikan.').waitFor();
    await saldo.getByText('Belum ada mutasi.').waitFor();
    expect(await saldo.getByTestId('balance-withdrawable').locator('.amount').innerText()).toBe('Rp\u00a00');
    await axeCheck(saldo);
    await screenshot(saldo, 'saldo-kosong');
  });

  it('keeps every time, status, reference and reason of the money tables inside its card on a phone (360 px)', async () => {
    const owner = await signupSeller(http, 'Toko Alasan Panjang');
    await creditAvailable(t, owner.sellerId, 5_000_000);
    const bankAccountId = await addBankAccount(http, owner);
    const withdraw = async (amount: number) =>
      (
        await http
          .post('/v1/withdrawals')
          .set(owner.auth)
          .set('Idempotency-Key', `wrap-${amount}`)
          .send({ amount, bankAccountId })
          .expect(201)
      ).body as { id: string };
    // One approved at once ("Disetujui, sedang ditransfer"), one finance rejects with a long reason.
    await withdraw(500_000);
    const rejected = await withdraw(2_000_000);
    const finance = await createOperator(t, http, 'finance');
    const reason = `Nama rekening tidak sesuai ${'x'.repeat(120)} ${'dengan nama toko '.repeat(20)}`;
    await http
      .post(`/v1/finance/withdrawals/${rejected.id}/reject`)
      .set(finance.auth)
      .send({ reason })
      .expect(200);

    const page = await browser.openPage(`${t.url}/saldo`, {
      width: 360,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(owner.token)})`),
    });
    const rows = page.getByTestId('withdrawal');
    await rows.filter({ hasText: 'Disetujui, sedang ditransfer' }).waitFor();
    await rows.filter({ hasText: 'Nama rekening tidak sesuai' }).waitFor();
    await page.getByTestId('ledger-entry').first().waitFor();
    expect(await overflowingCells(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await axeCheck(page);
    await screenshot(page, 'saldo-alasan-panjang');
  });

  it('tells staff that withdrawing is the owner’s, with no error to retry (360 px)', async () => {
    const staff = await addSellerUser(http, seller, 'seller_staff');
    const page = await browser.openPage(`${t.url}/saldo`, {
      width: 360,
      beforeLoad: (p) =>
        p.addInitScript(
          `localStorage.setItem('kirim.token', ${JSON.stringify(staff.auth.authorization.slice(7))})`,
        ),
    });
    await page.getByTestId('balance-withdrawable').waitFor();
    const withdraw = page.locator('section[aria-labelledby="saldo-withdraw-heading"]');
    await withdraw
      .getByText('Hanya pemilik toko yang dapat menarik dana dan melihat rekening bank.')
      .waitFor();
    await page.getByTestId('ledger-entry').first().waitFor();
    expect(await page.getByText('Gagal memuat data').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Coba lagi' }).count()).toBe(0);
    expect(await withdraw.getByLabel('Jumlah').count()).toBe(0);
    await axeCheck(page);
    await screenshot(page, 'saldo-staf');
  });
});
