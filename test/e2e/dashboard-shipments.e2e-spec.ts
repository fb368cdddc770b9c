import supertest from 'supertest';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { SandboxControl } from 'src/couriers/sandbox/sandbox-control.service';
import { formatRupiah } from 'src/dashboard/i18n/format';
import { courierName } from 'src/dashboard/pages/shipment-query';
import { PickupService } from 'src/shipments/pickup.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import {
  axeCheck,
  isFocused,
  overflowingCells,
  PageWidth,
  screenshot,
  takePageErrors,
  useBrowser,
} from '../support/browser';
import { endPinned } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import { waitUntil } from '../support/wait';
import { createAddress, signupSeller, TestSeller, validShipment } from '../support/factories/sellers';
import { bookPinned, PINNED, pushedMove, seedTrackedShipments } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The Pengiriman pages in real headless Chromium against the real app and PostgreSQL: a seller's
 * shipments listed, searched and filtered through the URL, a delivered one opened to its timeline in the
 * courier's own words, and a failed delivery re-attempted from its page — at 360 px and 1280 px, each
 * page checked by axe-core and photographed (test/e2e/screenshots/).
 */
describe('the Pengiriman pages in a browser', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let delivered: { id: string; reference: string; description: string; receiver: string; relation: string };
  let failed: { id: string; reference: string };
  const readyRefs = ['WEB-A-001', 'WEB-B-002', 'WEB-C-003'];
  const browser = useBrowser();

  const status = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status as string;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http, 'Toko Daftar Kirim');
    const origin = (await createAddress(http, seller)).id;
    for (const [i, reference] of readyRefs.entries())
      await http
        .post('/v1/shipments')
        .set(seller.auth)
        .send({
          ...validShipment(origin, reference),
          recipient: { ...validShipment(origin).recipient, name: `Penerima ${i + 1}` },
          codAmount: 100_000 + i * 1_000,
        })
        .expect(201);
    const [done] = await endPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'jne')!], {
      overrides: { reference: 'WEB-DELIVERED', codAmount: 1_234_500 },
    });
    const events = (await http.get(`/v1/shipments/${done.id}`).set(seller.auth).expect(200)).body.events as {
      description: string;
      pod: { receiver?: string; relation?: string } | null;
    }[];
    expect(events.length).toBeGreaterThan(0);
    // JNE's proof says who took it and how they stand to the buyer (keterangan, "YANG BERSANGKUTAN").
    const { receiver, relation } = events.find((e) => e.pod?.receiver)?.pod ?? {};
    expect({ receiver, relation }).toEqual({ receiver: expect.any(String), relation: expect.any(String) });
    delivered = {
      id: done.id,
      reference: 'WEB-DELIVERED',
      description: events[0].description,
      receiver: receiver!,
      relation: relation!,
    };

    // A parcel the courier failed to deliver: its page offers a re-attempt.
    const [booked] = await bookPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'jnt')!], {
      reference: 'WEB-FAILED',
    });
    t.clock.advance(3600_000);
    for (const to of ['picked_up', 'delivery_failed'])
      await http.post(`/sandbox/parcels/${booked.awb}/advance`).set(seller.auth).send({ to }).expect(200);
    for (let round = 0; round < 12 && (await status(booked.id)) !== 'delivery_failed'; round += 1) {
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
    }
    expect(await status(booked.id)).toBe('delivery_failed');
    failed = { id: booked.id, reference: 'WEB-FAILED' };
  });
  afterAll(() => t.close());

  /** Every courier service's quote for validShipment's parcel and destination (the rates then cached). */
  const quoteOf = async (who: TestSeller, origin: string) => {
    const { name: _n, phone: _p, address: _a, ...destination } = validShipment(origin).recipient;
    return (
      await http
        .post('/v1/quotes')
        .set(who.auth)
        .send({
          originAddressId: origin,
          destination,
          parcel: { weightGrams: 1200, lengthCm: 20, widthCm: 15, heightCm: 10 },
          codAmount: validShipment(origin).codAmount,
        })
        .expect(200)
    ).body.options as { courier: CourierCode; service: string; eligible: boolean; expectedCost: number }[];
  };

  const open = (path: string, width: PageWidth) =>
    browser.openPage(`${t.url}${path}`, {
      width,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(seller.token)})`),
    });

  for (const width of [360, 1280] as PageWidth[]) {
    it(`lists, searches and filters the seller's shipments and opens one (${width} px)`, async () => {
      const page = await open('/pengiriman', width);
      await page.getByRole('heading', { name: 'Pengiriman', exact: true }).waitFor();
      const rows = page.getByTestId('shipment-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(readyRefs.length + 2);
      // Indonesian status labels, rupiah, Jakarta time.
      const deliveredRow = rows.filter({ hasText: delivered.reference });
      await deliveredRow.getByText('Terkirim').waitFor();
      await deliveredRow.getByText(/Rp\s?1\.234\.500/).waitFor();
      await deliveredRow.getByText(/WIB/).waitFor();
      await rows.filter({ hasText: 'WEB-B-002' }).getByText('Siap').waitFor();
      await axeCheck(page);
      await screenshot(page, 'pengiriman');

      // Search by reference narrows the list, and lives in the URL (a reload keeps it).
      await page.getByLabel('Cari').fill('WEB-B');
      await page.getByRole('button', { name: 'Terapkan' }).click();
      await page.waitForURL(/[?&]q=WEB-B/);
      // The new answer has arrived once the count says so (the old rows go while it loads).
      await page.getByText('1 pengiriman ditampilkan').waitFor();
      expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('WEB-B-002')]);
      await page.reload();
      await rows.first().waitFor();
      expect(await rows.count()).toBe(1);
      expect(await page.getByLabel('Cari').inputValue()).toBe('WEB-B');

      // A search that matches nothing says so.
      await page.getByLabel('Cari').fill('TIDAK-ADA');
      await page.getByRole('button', { name: 'Terapkan' }).click();
      await page.getByText('Tidak ada pengiriman yang cocok dengan saringan ini.').waitFor();
      expect(await rows.count()).toBe(0);

      // The status filter: only the delivered one.
      await page.getByRole('button', { name: 'Hapus saringan' }).click();
      await page.getByText(`${readyRefs.length + 2} pengiriman ditampilkan`).waitFor();
      await page.getByLabel('Status').selectOption({ label: 'Terkirim' });
      await page.getByRole('button', { name: 'Terapkan' }).click();
      await page.waitForURL(/[?&]status=delivered/);
      await page.getByText('1 pengiriman ditampilkan').waitFor();
      expect(await rows.allInnerTexts()).toEqual([expect.stringContaining(delivered.reference)]);

      // Its page: the timeline in the courier's own words, oldest first, and why this courier. The row's
      // link routes within the app (the page is not loaded again: a mark left on it survives).
      await page.evaluate('window.kirimStayed = true');
      await page.getByRole('link', { name: delivered.reference }).click();
      await page.waitForURL(new RegExp(`/pengiriman/${delivered.id}$`));
      expect(await page.evaluate('window.kirimStayed')).toBe(true);
      await page.getByRole('heading', { name: `Pengiriman ${delivered.reference}` }).waitFor();
      const timeline = page.getByTestId('timeline-event');
      await timeline.first().waitFor();
      expect(await timeline.first().innerText()).toContain(delivered.description);
      // Who took it, as the courier's proof of delivery says.
      expect(await page.getByTestId('proof-of-delivery').innerText()).toBe(
        `Diterima oleh ${delivered.receiver} (${delivered.relation})`,
      );
      await page.getByRole('heading', { name: 'Mengapa kurir ini' }).waitFor();
      await page.getByRole('table', { name: 'Semua kandidat' }).waitFor();
      await page.getByText('Tidak ada tindakan untuk status ini.').waitFor();
      // Delivered with its cash: the COD fee is charged, the return fee is not.
      const charges = await page.getByRole('region', { name: 'Biaya' }).innerText();
      expect(charges).toMatch(/Biaya COD\s+Rp\s?[1-9][\d.]*\s+Cashback/);
      expect(charges).toMatch(/Biaya retur\s+tidak dikenakan/);
      // Cashback comes off the charges: negative, as on the invoice.
      expect(charges).toMatch(/Cashback\s+-Rp\s?[1-9]/);
      await axeCheck(page);
      await screenshot(page, 'pengiriman-detail');

      // Back to the list as it was left: filtered to the delivered one.
      await page.getByRole('link', { name: 'Kembali ke daftar pengiriman' }).click();
      await page.waitForURL(/\/pengiriman\?status=delivered$/);
      await page.getByText('1 pengiriman ditampilkan').waitFor();
      expect(await rows.allInnerTexts()).toEqual([expect.stringContaining(delivered.reference)]);
      expect(await page.getByLabel('Status').inputValue()).toBe('delivered');
    });
  }

  it('puts the failed delivery first on Beranda under "Perlu perhatian", linked to its shipment', async () => {
    const page = await open('/', 360);
    const attention = page.getByRole('region', { name: 'Perlu perhatian' });
    await attention.getByText('Gagal antar').first().waitFor();
    await attention.getByText('Saran: Hubungi pembeli').waitFor();
    await axeCheck(page);
    await screenshot(page, 'beranda-perhatian');
    await attention.getByRole('link', { name: `Buka pengiriman ${failed.reference}` }).click();
    await page.getByRole('heading', { name: `Pengiriman ${failed.reference}` }).waitFor();
  });

  it('re-attempts a failed delivery from its page (alert, WhatsApp link to the buyer) and shows the API’s refusal of a stale action', async () => {
    const page = await open(`/pengiriman/${failed.id}`, 1280);
    await page.getByRole('heading', { name: `Pengiriman ${failed.reference}` }).waitFor();
    await page.getByText('Gagal antar').first().waitFor();
    const whatsapp = page.getByRole('link', { name: 'Chat pembeli di WhatsApp' });
    await whatsapp.first().waitFor();
    expect(await whatsapp.first().getAttribute('href')).toMatch(/^https:\/\/wa\.me\//);
    // Still travelling: the COD fee is charged only if it is delivered.
    expect(await page.getByRole('region', { name: 'Biaya' }).innerText()).toMatch(
      /Biaya COD\s+Rp\s?[1-9][\d.]*\s+\(jika terkirim\)/,
    );
    await axeCheck(page);
    await screenshot(page, 'pengiriman-gagal');

    // A return cannot be undone: the button asks first, and cancelled, nothing is sent.
    await page.getByRole('button', { name: 'Retur ke penjual' }).click();
    const asked = page.getByRole('group', { name: /Kirim paket ini kembali ke penjual\?/ });
    await asked.getByRole('button', { name: 'Ya, retur' }).waitFor();
    // The question's own button has the keyboard (the one pressed is gone), once the page has set it there.
    await waitUntil(
      () => isFocused(asked.getByRole('button', { name: 'Ya, retur' })),
      'the question has the focus',
    );
    await asked.getByRole('button', { name: 'Batal' }).click();
    await asked.waitFor({ state: 'detached' });
    // The keyboard is back on the button that asked; Escape cancels the question too.
    const returnButton = page.getByRole('button', { name: 'Retur ke penjual' });
    await waitUntil(() => isFocused(returnButton), 'the return button has the focus again');
    await returnButton.click();
    await asked.waitFor();
    await page.keyboard.press('Escape');
    await asked.waitFor({ state: 'detached' });
    expect((await http.get(`/v1/shipments/${failed.id}`).set(seller.auth).expect(200)).body.actions).toEqual(
      [],
    );

    // J&T down: the re-attempt is refused, recorded failed. The page says so in Indonesian, keeps the typed
    // note for another try, and its history shows the failed request.
    const note = page.getByLabel('Catatan untuk kurir (opsional)');
    await note.fill('Penerima ada setelah jam 17.00');
    const control = t.app.get(SandboxControl);
    await control.setFaults('jnt', { errorRate: 1 });
    try {
      await page.getByRole('button', { name: 'Antar ulang' }).click();
      await page
        .getByText('Sistem kurir sedang gangguan dan tidak ada yang diubah. Coba lagi nanti.')
        .waitFor();
    } finally {
      await control.setFaults('jnt', { errorRate: 0 });
    }
    // The browser logs the refusal it was answered (503): expected here, and nothing else.
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 503/)]);
    await page
      .getByRole('region', { name: 'Tindakan' })
      .getByText(/Antar ulang · gagal/)
      .waitFor();
    expect(await note.inputValue()).toBe('Penerima ada setelah jam 17.00');
    t.clock.advance(60_000);

    await page.getByRole('button', { name: 'Antar ulang' }).click();
    await page.getByText(/Permintaan Antar ulang dicatat/).waitFor();
    // The page stays as it was while the shipment is read again (never "Memuat…" in its place), and the
    // keyboard goes on from what was done.
    expect(await page.getByText('Memuat…').count()).toBe(0);
    await waitUntil(
      () => isFocused(page.getByText(/Permintaan Antar ulang dicatat/)),
      'the outcome has the focus',
    );
    const actions = (await http.get(`/v1/shipments/${failed.id}`).set(seller.auth).expect(200)).body
      .actions as { action: string; note: string; status: string }[];
    expect(actions.map((a) => [a.action, a.note, a.status === 'failed'])).toEqual([
      ['reattempt', 'Penerima ada setelah jam 17.00', false],
      ['reattempt', 'Penerima ada setelah jam 17.00', true],
    ]);
    // The recorded action appears in the page's history, beside the failed one.
    await waitUntil(
      async () => (await page.getByText('Penerima ada setelah jam 17.00').count()) === 2,
      'both requests are in the history',
    );
    await screenshot(page, 'pengiriman-tindakan');

    // The address correction: sent unchanged, it is refused before the courier is asked; a required field
    // left empty is named before any request; a field the API refuses is named by its input; corrected, it is
    // sent. A minute after the re-attempt, so the shipment's actions (newest first) list it first.
    t.clock.advance(60_000);
    await page.getByText('Perbaiki alamat', { exact: true }).click();
    const send = page.getByRole('button', { name: 'Kirim alamat baru ke kurir' });
    await send.click();
    await page.getByText('Alamat belum diubah').waitFor();
    const city = page.getByLabel('Kota/kabupaten');
    await city.fill('');
    await send.click();
    const cityField = page.locator('.field-invalid').filter({ has: page.getByLabel('Kota/kabupaten') });
    await cityField.getByText('Wajib diisi.').waitFor();
    // The first field to correct has the focus (a phone's seller may be at the foot of the form).
    await waitUntil(() => isFocused(city), 'the city field has the focus');
    expect(takePageErrors(page)).toEqual([]);
    await city.fill('Kota Bandung');
    await send.click();
    await cityField.getByText('Wajib diisi.').waitFor({ state: 'detached' });
    await cityField.waitFor();
    expect(await city.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'pengiriman-alamat-salah');
    // Within the city the parcel was booked to (another city is refused: it was priced for this one).
    await city.fill('Jakarta Pusat');
    await page.getByLabel('Kecamatan', { exact: true }).fill('Tanah Abang');
    await page.getByLabel('Alamat', { exact: true }).fill('Jl. Kebon Kacang No. 9, pagar hijau');
    await page.getByRole('button', { name: 'Kirim alamat baru ke kurir' }).click();
    await page.getByText(/Permintaan Perbaiki alamat dicatat/).waitFor();
    const fixed = (await http.get(`/v1/shipments/${failed.id}`).set(seller.auth).expect(200)).body as {
      actions: { action: string; address: { city: string; address: string; phone: string } | null }[];
      recipient: { phone: string };
    };
    expect(fixed.actions.map((a) => a.action)).toEqual(['update_address', 'reattempt', 'reattempt']);
    expect(fixed.actions[0].address).toMatchObject({
      district: 'Tanah Abang',
      city: 'Kota Administrasi Jakarta Pusat', // the area directory's name
      address: 'Jl. Kebon Kacang No. 9, pagar hijau',
      phone: fixed.recipient.phone,
    });
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 422/)]);

    // Delivered meanwhile (the page still offers the buttons): the API's refusal is shown as it is.
    const awb = (await http.get(`/v1/shipments/${failed.id}`).set(seller.auth).expect(200)).body
      .awb as string;
    await http.post(`/sandbox/parcels/${awb}/advance`).set(seller.auth).send({ to: 'delivered' }).expect(200);
    for (let round = 0; round < 12 && (await status(failed.id)) !== 'delivered'; round += 1) {
      t.clock.advance(2 * 3600_000);
      await t.app.get(TrackingPoller).pollDue();
    }
    expect(await status(failed.id)).toBe('delivered');
    await page.getByRole('button', { name: 'Tahan di hub' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Tindakan ini tidak dapat dilakukan pada status pengiriman sekarang.' })
      .waitFor();
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 422/)]);
    await axeCheck(page);
  });

  it('pages through a long list with "Muat lagi" (50 at a time, following the cursor)', async () => {
    const busy = await signupSeller(http, 'Toko Ramai');
    await seedTrackedShipments(t, http, busy, {
      count: 61,
      couriers: ['jne', 'sap'],
      status: 'in_transit',
      dueAt: new Date('2099-01-01T00:00:00Z'),
      prefix: 'RAMAI',
    });
    const page = await browser.openPage(`${t.url}/pengiriman`, {
      width: 1280,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(busy.token)})`),
    });
    const rows = page.getByTestId('shipment-row');
    await page.getByText('50 pengiriman ditampilkan').waitFor();
    expect(await rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Muat lagi' }).click();
    // 61 seeded plus the template they were copied from; no row twice, and no more pages.
    await page.getByText('62 pengiriman ditampilkan').waitFor();
    const references = await rows.locator('.row-link').allInnerTexts();
    expect(new Set(references).size).toBe(62);
    expect(await page.getByRole('button', { name: 'Muat lagi' }).count()).toBe(0);
  });

  it('shows the API’s refusals: another seller’s shipment, a search too long, dates the wrong way round; and an empty list to a new seller', async () => {
    const other = await signupSeller(http, 'Toko Lain');
    const page = await browser.openPage(`${t.url}/pengiriman/${delivered.id}`, {
      width: 360,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
    });
    await page.getByRole('alert').waitFor();
    // Asking again would only be refused again: no "Coba lagi".
    expect(await page.getByRole('button', { name: 'Coba lagi' }).count()).toBe(0);
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 404/)]);
    await page.getByRole('link', { name: 'Kembali ke daftar pengiriman' }).click();
    await page.getByText('Belum ada pengiriman.').waitFor();
    expect(await page.getByTestId('shipment-row').count()).toBe(0);
    await axeCheck(page);

    // A search the API refuses (over 100 characters): its message next to the field.
    await page.getByLabel('Cari').fill('x'.repeat(101));
    await page.getByRole('button', { name: 'Terapkan' }).click();
    const search = page.getByLabel('Cari');
    await page.locator('#filter-q-error').waitFor();
    expect(await search.getAttribute('aria-invalid')).toBe('true');
    expect(await search.getAttribute('aria-describedby')).toContain('filter-q-error');
    expect((await page.locator('#filter-q-error').innerText()).length).toBeGreaterThan(0);
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 400/)]);
    await axeCheck(page);
    await screenshot(page, 'pengiriman-galat');

    // A date range the API refuses (from after to): said by its field, in the page's language.
    await page.goto(`${t.url}/pengiriman?from=2026-03-10&to=2026-03-05`);
    await page.locator('#filter-from-error').waitFor();
    expect(await page.locator('#filter-from-error').innerText()).toBe('Harus sebelum tanggal akhir.');
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 400/)]);
  });

  it('keeps a long name, address word and order number inside the phone’s screen, in the list and on the page (360 px)', async () => {
    const owner = await signupSeller(http, 'Toko Nama Panjang');
    const origin = (await createAddress(http, owner)).id;
    const reference = 'SHOPEE-2401019ABCDEFGHJK';
    const name = 'Muhammadabdurrahmansyahputrawijayakusuma';
    const word = 'Perumahangriyapermatahijaublokc12nomor45rt003rw007';
    const body = validShipment(origin, reference);
    const created = await http
      .post('/v1/shipments')
      .set(owner.auth)
      .send({ ...body, recipient: { ...body.recipient, name, address: `Jl. ${word}` } })
      .expect(201);
    const page = await browser.openPage(`${t.url}/pengiriman`, {
      width: 360,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(owner.token)})`),
    });
    await page.getByRole('link', { name: reference }).waitFor();
    expect(await overflowingCells(page, '.shipments tbody td')).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(page, 'pengiriman-nama-panjang');

    await page.goto(`${t.url}/pengiriman/${(created.body as { id: string }).id}`);
    await page.getByText(name).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    const address = page.locator('address').first();
    expect(await address.evaluate((a) => a.scrollWidth <= a.clientWidth)).toBe(true);
    await axeCheck(page);
    await screenshot(page, 'pengiriman-detail-nama-panjang');
  });

  it('says why a booking failed, in Indonesian, on the shipment’s page', async () => {
    const other = await signupSeller(http, 'Toko Gagal Pesan');
    const origin = (await createAddress(http, other)).id;
    const created = await http
      .post('/v1/shipments')
      .set(other.auth)
      .send({ ...validShipment(origin, 'WEB-NOT-BOOKED'), courier: PINNED.find((p) => p.code === 'sap') })
      .expect(201);
    // SAP's rates are known (a quote just made), then SAP fails every call: the booking is tried and fails.
    await quoteOf(other, origin);
    const control = t.app.get(SandboxControl);
    await control.setFaults('sap', { errorRate: 1 });
    try {
      await http
        .post('/v1/pickups')
        .set(other.auth)
        .send({ shipmentIds: [created.body.id] })
        .expect(202);
      // Tried again for half an hour (every 5 minutes; here once more, when the half hour is over), then failed.
      while ((await t.app.get(PickupService).processDue(50)) > 0);
      t.clock.advance(31 * 60_000);
      while ((await t.app.get(PickupService).processDue(50)) > 0);
    } finally {
      await control.setFaults('sap', { errorRate: 0 });
    }
    const s = (await http.get(`/v1/shipments/${created.body.id}`).set(other.auth).expect(200)).body;
    expect([s.status, s.reason]).toEqual(['booking_failed', 'all_couriers_failed']);
    const [attempt] = s.pickupAttempts as { outcome: string; errorKind: string; errorMessage: string }[];
    expect([attempt.outcome, attempt.errorKind]).toEqual(['failed', 'retriable']);
    const page = await browser.openPage(`${t.url}/pengiriman/${created.body.id}`, {
      width: 360,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
    });
    await page.getByRole('heading', { name: 'Pengiriman WEB-NOT-BOOKED' }).waitFor();
    const summary = await page.getByRole('region', { name: 'Ringkasan' }).innerText();
    expect(summary).toMatch(/Alasan\s+Semua kurir gagal dipesan/);
    expect(summary).not.toContain('all_couriers_failed');
    // The attempt says what went wrong in Indonesian, the courier's own answer below it, inside the phone's page.
    const attempts = page.getByRole('region', { name: 'Pemesanan pickup' });
    // One attempt per try while SAP was down.
    expect(await attempts.getByText('Kurir tidak bisa dihubungi saat itu').count()).toBe(
      s.pickupAttempts.length,
    );
    await attempts.getByText(attempt.errorMessage).first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(page, 'pengiriman-gagal-dipesan');

    // SAP answers again: the pickup is requested again from the page, and the page shows the shipment booked.
    const actions = page.getByRole('region', { name: 'Tindakan' });
    await actions.getByRole('button', { name: 'Minta pickup lagi' }).click();
    // Accepted (the booking waits for the worker, run here by hand): then booked.
    await actions.getByText('Pickup diterima', { exact: false }).waitFor();
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    await page.getByRole('region', { name: 'Ringkasan' }).getByText('Menunggu pickup').waitFor();
    const again = (await http.get(`/v1/shipments/${created.body.id}`).set(other.auth).expect(200)).body;
    expect([again.status, again.courier.code]).toEqual(['booked', 'sap']);
    expect(await page.getByRole('button', { name: 'Minta pickup lagi' }).count()).toBe(0);
    expect(takePageErrors(page)).toEqual([]);
  });

  it('says what a service the seller pinned costs over the best choice, not what the best saved', async () => {
    const other = await signupSeller(http, 'Toko Pilih Sendiri');
    const origin = (await createAddress(http, other)).id;
    const options = await quoteOf(other, origin);
    const priciest = options
      .filter((o) => o.eligible)
      .reduce((a, b) => (b.expectedCost > a.expectedCost ? b : a));
    const [booked] = await bookPinned(
      t,
      http,
      other,
      origin,
      [{ code: priciest.courier, service: priciest.service }],
      { reference: 'WEB-PINNED' },
    );
    const decision = (await http.get(`/v1/shipments/${booked.id}`).set(other.auth).expect(200)).body
      .decision as Record<'winner' | 'booked', { courier: string; expectedCost: number }>;
    expect(decision.booked.courier).toBe(priciest.courier);
    const over = decision.booked.expectedCost - decision.winner.expectedCost;
    expect(over).toBeGreaterThan(0);
    const page = await browser.openPage(`${t.url}/pengiriman/${booked.id}`, {
      width: 1280,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
    });
    const why = page.getByRole('region', { name: 'Mengapa kurir ini' });
    await why
      .getByText(
        `Layanan yang dipesan diperkirakan ${formatRupiah(over)} lebih mahal daripada pilihan terbaik.`,
      )
      .waitFor();
    expect(await why.getByText(/Lebih hemat/).count()).toBe(0);
  });

  it('says nothing is charged for a shipment cancelled after booking', async () => {
    const other = await signupSeller(http, 'Toko Batal');
    const origin = (await createAddress(http, other)).id;
    const [booked] = await bookPinned(t, http, other, origin, [PINNED.find((p) => p.code === 'jne')!], {
      reference: 'WEB-CANCELLED',
    });
    await http.post(`/v1/shipments/${booked.id}/cancel`).set(other.auth).expect(200);
    const page = await browser.openPage(`${t.url}/pengiriman/${booked.id}`, {
      width: 1280,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
    });
    await page.getByRole('heading', { name: 'Pengiriman WEB-CANCELLED' }).waitFor();
    expect(await page.getByRole('region', { name: 'Ringkasan' }).innerText()).toMatch(
      /Alasan\s+Dibatalkan penjual/,
    );
    const charges = await page.getByRole('region', { name: 'Biaya' }).innerText();
    for (const fee of ['Ongkos kirim', 'Biaya COD', 'Cashback', 'Biaya retur'])
      expect(charges).toMatch(new RegExp(`${fee}\\s+tidak dikenakan`));
  });

  it('says an order booked over another booking is still being cancelled at its courier, not that it was', async () => {
    const other = await signupSeller(http, 'Toko Dua Resi');
    const origin = (await createAddress(http, other)).id;
    const [booked] = await bookPinned(t, http, other, origin, [PINNED.find((p) => p.code === 'jne')!], {
      reference: 'WEB-SUPERSEDED',
    });
    // A second order made by a worker that had lost the shipment to another, its courier not reached to cancel
    // it (as pickups.e2e makes one): written as the pickup worker writes it.
    await t.dataSource.query(
      `INSERT INTO booking_attempts (id, shipment_id, pickup_item_id, courier, service, reference, status, awb,
         error_kind, error_code, error_message, started_at, finished_at, cancel_retry_at)
       SELECT gen_random_uuid(), shipment_id, pickup_item_id, 'sap', 'UDRREG', reference || '-late', 'booked',
         'SAPLATE0001', 'superseded', 'SUPERSEDED_CANCEL_PENDING', 'its courier could not be reached to cancel it',
         started_at, finished_at, finished_at + interval '10 minutes'
       FROM booking_attempts WHERE shipment_id = $1`,
      [booked.id],
    );
    const page = await browser.openPage(`${t.url}/pengiriman/${booked.id}`, {
      width: 360,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
    });
    const attempts = page.getByRole('region', { name: 'Pemesanan pickup' });
    await attempts.getByText('SAPLATE0001').waitFor();
    const text = await attempts.innerText();
    expect(text).toContain('Belum dibatalkan: pengiriman sudah dipesan di kurir lain');
    expect(text).not.toContain('Dibatalkan: pengiriman sudah dipesan di kurir lain');
    expect(takePageErrors(page)).toEqual([]);
  });

  it('marks the scans under a re-booked shipment’s earlier airway bill in its timeline (360 px)', async () => {
    const other = await signupSeller(http, 'Toko Resi Lama Web');
    const origin = (await createAddress(http, other)).id;
    const created = await http
      .post('/v1/shipments')
      .set(other.auth)
      .send(validShipment(origin, 'WEB-REBOOKED'))
      .expect(201);
    const id = created.body.id as string;
    const view = async () => (await http.get(`/v1/shipments/${id}`).set(other.auth).expect(200)).body;
    await http
      .post('/v1/pickups')
      .set(other.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    const first = await view();
    // Its courier misses the pickup: Kirim re-books it with another.
    await http
      .post(`/sandbox/parcels/${first.awb}/script`)
      .set(other.auth)
      .send({ script: 'pickup_missed' })
      .expect(200);
    t.clock.advance(25 * 3600_000);
    await t.app.get(TrackingPoller).pollDue();
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    const again = await view();
    expect(again.status).toBe('booked');
    expect(again.courier.code).not.toBe(first.courier.code);
    // The first courier's driver takes the parcel after all, under the old bill.
    const admin = await createOperator(t, http, 'admin');
    await pushedMove(t, http, { seller: other, admin }, first.courier.code, first.awb, 'picked_up');

    const page = await browser.openPage(`${t.url}/pengiriman/${id}`, {
      width: 360,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
    });
    await page.getByRole('heading', { name: 'Pengiriman WEB-REBOOKED' }).waitFor();
    const marked = page.getByTestId('timeline-event').filter({ has: page.getByTestId('earlier-booking') });
    await marked.first().waitFor();
    expect(await page.getByTestId('earlier-booking').first().innerText()).toMatch(
      new RegExp(`^Resi sebelumnya: .+ ${first.awb}$`),
    );
    expect(await marked.filter({ hasText: 'Sudah dipickup' }).count()).toBe(1);
    // The current booking's events carry no mark.
    expect(await page.getByTestId('earlier-booking').count()).toBe(
      (await view()).events.filter((e: { earlierBooking: boolean }) => e.earlierBooking).length,
    );
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await axeCheck(page);
    await screenshot(page, 'pengiriman-resi-lama');
    expect(takePageErrors(page)).toEqual([]);
  });

  it('says a cancelled parcel its earlier booking carried after all had its COD cash collected and credited, and charges that booking', async () => {
    const other = await signupSeller(http, 'Toko Kurir Lama Antar');
    const origin = (await createAddress(http, other)).id;
    const created = await http
      .post('/v1/shipments')
      .set(other.auth)
      .send({ ...validShipment(origin, 'WEB-CARRIED'), codAmount: 175_000 })
      .expect(201);
    const id = created.body.id as string;
    const view = async () => (await http.get(`/v1/shipments/${id}`).set(other.auth).expect(200)).body;
    await http
      .post('/v1/pickups')
      .set(other.auth)
      .send({ shipmentIds: [id] })
      .expect(202);
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    const first = await view();
    await http
      .post(`/sandbox/parcels/${first.awb}/script`)
      .set(other.auth)
      .send({ script: 'pickup_missed' })
      .expect(200);
    t.clock.advance(25 * 3600_000);
    await t.app.get(TrackingPoller).pollDue();
    while ((await t.app.get(PickupService).processDue(50)) > 0);
    expect((await view()).courier.code).not.toBe(first.courier.code);
    await http.post(`/v1/shipments/${id}/cancel`).set(other.auth).expect(200);
    // The first courier delivered it anyway and remits its cash; finance credits the seller from that line.
    const finance = await createOperator(t, http, 'finance');
    const report = await http
      .post(`/v1/finance/remittances?courier=${first.courier.code}`)
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send(`awb,cod_amount,remitted_date\n${first.awb},175000,${t.clock.now().toISOString().slice(0, 10)}\n`)
      .expect(201);
    await http
      .post(`/v1/finance/remittances/${report.body.id}/lines/1/resolve`)
      .set(finance.auth)
      .send({ resolution: 'credit_seller', shipmentId: id, note: 'Diantar kurir lama' })
      .expect(200);
    const quoted = first.charges as { shipping: number; codFee: number; cashback: number };

    for (const width of [360, 1280] as PageWidth[]) {
      const page = await browser.openPage(`${t.url}/pengiriman/${id}`, {
        width,
        beforeLoad: (p) =>
          p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
      });
      await page.getByRole('heading', { name: 'Pengiriman WEB-CARRIED' }).waitFor();
      const summary = await page.getByRole('region', { name: 'Ringkasan' }).innerText();
      expect(summary).toMatch(/Status\s+Dibatalkan/);
      expect(summary).toMatch(/Uang COD sudah diterima kurir\s+Ya/);
      expect(await page.getByTestId('carried-by-earlier-booking').innerText()).toBe(
        `Diantar dengan resi sebelumnya ${courierName(first.courier.code)} ${first.awb}; uang COD-nya sudah masuk ke saldo Anda.`,
      );
      // Charged as its invoice charges it: that booking's shipping, COD fee and cashback, no return fee.
      const charges = page.getByRole('region', { name: 'Biaya' });
      expect(await charges.getByTestId('charged-by-earlier-booking').innerText()).toBe(
        `Ditagih sesuai harga pemesanan yang mengantarnya: ${courierName(first.courier.code)} ${first.awb}.`,
      );
      const text = await charges.innerText();
      expect(text).toMatch(new RegExp(`Ongkos kirim\\s+${formatRupiah(quoted.shipping)}`));
      expect(text).toMatch(new RegExp(`Biaya COD\\s+${formatRupiah(quoted.codFee)}`));
      expect(text).toMatch(/Biaya retur\s+tidak dikenakan/);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      await axeCheck(page);
      await screenshot(page, 'pengiriman-dikreditkan');
      expect(takePageErrors(page)).toEqual([]);
    }
  });

  it('says a parcel cancelled too late, that its own courier delivered anyway, had its COD cash credited', async () => {
    const other = await signupSeller(http, 'Toko Batal Telat');
    const origin = (await createAddress(http, other)).id;
    const sap = PINNED.find((p) => p.code === 'sap')!;
    const [b] = await bookPinned(t, http, other, origin, [sap], {
      reference: 'WEB-LATE-CANCEL',
      codAmount: 95_000,
    });
    await http.post(`/v1/shipments/${b.id}/cancel`).set(other.auth).expect(200);
    const finance = await createOperator(t, http, 'finance');
    const report = await http
      .post('/v1/finance/remittances?courier=sap')
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send(`awb,cod_amount,remitted_date\n${b.awb},95000,${t.clock.now().toISOString().slice(0, 10)}\n`)
      .expect(201);
    await http
      .post(`/v1/finance/remittances/${report.body.id}/lines/1/resolve`)
      .set(finance.auth)
      .send({ resolution: 'credit_seller', shipmentId: b.id, note: 'Tetap diantar' })
      .expect(200);

    const page = await browser.openPage(`${t.url}/pengiriman/${b.id}`, {
      width: 360,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(other.token)})`),
    });
    await page.getByRole('heading', { name: 'Pengiriman WEB-LATE-CANCEL' }).waitFor();
    expect(await page.getByTestId('carried-by-earlier-booking').innerText()).toBe(
      `Tetap diantar ${courierName('sap')} ${b.awb} meski dibatalkan; uang COD-nya sudah masuk ke saldo Anda.`,
    );
    expect(takePageErrors(page)).toEqual([]);
  });
});
