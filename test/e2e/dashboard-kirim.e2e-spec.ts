import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import { PickupService } from 'src/shipments/pickup.service';
import { axeCheck, PageWidth, screenshot, takePageErrors, useBrowser } from '../support/browser';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

interface Option {
  courier: string;
  service: string;
  serviceName: string;
  rank: number | null;
  eligible: boolean;
  ineligibleReason?: string;
  expectedCost: number | null;
}

/** The Indonesian reason the page gives for each reason the API may give (the page's own wording). */
const REASON: Record<string, string> = {
  too_heavy: 'paket terlalu berat untuk layanan ini',
  too_light: 'paket di bawah berat minimum layanan ini',
  cod_not_supported: 'layanan ini tidak melayani COD',
  cod_over_limit: 'nilai COD melebihi batas layanan ini',
  route_not_served: 'kurir tidak melayani rute ini',
  circuit_open: 'sistem kurir sedang gangguan',
  courier_timeout: 'kurir tidak menjawab tepat waktu',
  courier_error: 'kurir mengembalikan galat',
};

const COURIER: Record<string, string> = {
  jne: 'JNE',
  jnt: 'J&T Express',
  sap: 'SAP Express',
  ninja: 'Ninja Xpress',
  idexpress: 'ID Express',
};
/** As the page names a service: the courier's name first unless the service's name starts with it. */
const label = (o: Option) =>
  o.serviceName.split(' ')[0].toLowerCase() === COURIER[o.courier].split(' ')[0].toLowerCase()
    ? o.serviceName
    : `${COURIER[o.courier]} ${o.serviceName}`;

const rupiahPattern = (amount: number) =>
  new RegExp(`Rp\\s?${amount.toLocaleString('id-ID').replace(/\./g, '\\.')}`);

/**
 * Kirim paket and Kirim massal in real headless Chromium against the real app and PostgreSQL, at 360 px
 * and 1280 px: a shipment typed in, every courier service compared as the seller types (the
 * recommendation and why, the ineligible ones and their reason), created, its pickup requested and
 * booked with an airway bill; a CSV with bad rows uploaded, fixed in the page, resent and picked up.
 */
describe('the Kirim pages in a browser', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let origin: string;
  const browser = useBrowser();

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http, 'Toko Batik Sekar');
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  const open = (path: string, width: PageWidth) =>
    browser.openPage(`${t.url}${path}`, {
      width,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(seller.token)})`),
    });

  /** Books the accepted pickups as the worker would, once the page has asked for one. */
  const bookPickups = async () => {
    while ((await t.app.get(PickupService).processDue(50)) > 0);
  };

  const shipment = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body as {
      status: string;
      awb: string | null;
      reference: string;
      codAmount: number;
      recipient: { phone: string };
      requestedCourier: { code: string; service: string } | null;
      courier: { code: string; service: string } | null;
    };

  const fill = async (page: Page, fields: [string, string][]) => {
    for (const [name, value] of fields) await page.getByLabel(name, { exact: true }).fill(value);
  };

  for (const width of [360, 1280] as PageWidth[]) {
    it(`types a shipment, compares every courier, creates it and books its pickup (${width} px)`, async () => {
      const reference = `WEB-KIRIM-${width}`;
      const destination = {
        district: 'Menteng',
        city: 'Jakarta Pusat',
        province: 'DKI Jakarta',
        postalCode: '10340',
      };
      const api = (
        await http
          .post('/v1/quotes')
          .set(seller.auth)
          .send({ originAddressId: origin, destination, parcel: { weightGrams: 1200 }, codAmount: 150_000 })
          .expect(200)
      ).body as {
        options: Option[];
        recommended: { courier: string; service: string };
        destination: { district: string; city: string; province: string };
      };
      const ranked = api.options.filter((o) => o.eligible).sort((a, b) => a.rank! - b.rank!);
      const [best, runnerUp] = ranked;
      expect(api.recommended).toEqual({ courier: best.courier, service: best.service });

      const page = await open('/kirim', width);
      await page.getByRole('heading', { name: 'Kirim paket', level: 1 }).waitFor();
      expect(await page.getByLabel('Alamat pickup').inputValue()).toBe(origin);
      await page.getByText('Isi alamat pickup, kota, provinsi, kode pos dan berat').waitFor();
      await fill(page, [
        ['Nomor pesanan', reference],
        ['Nama penerima', 'Budi Santoso'],
        // Not a phone number: the API's message must appear by this field.
        ['Nomor HP penerima', '12345'],
        ['Alamat lengkap', 'Jl. Kebon Sirih No. 5'],
        ['Kecamatan (opsional)', destination.district],
        ['Kota/kabupaten', destination.city],
        ['Provinsi', destination.province],
        ['Kode pos', destination.postalCode],
        ['Berat (gram)', '1200'],
        ['Nilai COD (Rp)', '150.000'],
      ]);

      // The comparison appears by itself: every service the API quotes, ranked, the recommendation marked.
      const rows = page.getByTestId('quote-option');
      // Named as the directory resolved it ("Jakarta Pusat" is Kota Administrasi Jakarta Pusat).
      expect(api.destination.city).toBe('Kota Administrasi Jakarta Pusat');
      await page
        .getByText(
          `${api.options.length} layanan kurir dibandingkan, tujuan ${api.destination.district}, ${api.destination.city}, ${api.destination.province}.`,
        )
        .waitFor();
      expect(await rows.count()).toBe(api.options.length);
      const texts = await rows.allInnerTexts();
      expect(texts.map((text) => api.options.find((o) => text.includes(label(o)))?.service)).toEqual(
        api.options.map((o) => o.service),
      );
      const recommendedRow = rows.filter({ hasText: 'Rekomendasi' });
      expect(await recommendedRow.count()).toBe(1);
      expect(await recommendedRow.innerText()).toContain(label(best));
      await recommendedRow.getByText(rupiahPattern(best.expectedCost!)).first().waitFor();
      // Why: the breakdown side by side with the runner-up, and the difference in expected cost.
      const why = page.getByTestId('quote-why');
      await why.getByText(`Mengapa ${label(best)} direkomendasikan`).waitFor();
      await why
        .getByText(
          `Perkiraan biayanya ${new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(runnerUp.expectedCost! - best.expectedCost!)} lebih hemat daripada pilihan kedua, ${label(runnerUp)}.`,
        )
        .waitFor();
      const breakdown = why.getByRole('table', { name: 'Rincian: rekomendasi dibanding pilihan kedua' });
      expect(await breakdown.getByRole('columnheader').allInnerTexts()).toEqual([
        'Komponen',
        label(best),
        label(runnerUp),
        'Selisih',
      ]);
      expect(await breakdown.getByRole('row', { name: /Perkiraan biaya/ }).innerText()).toMatch(
        rupiahPattern(runnerUp.expectedCost! - best.expectedCost!),
      );
      // The ineligible ones, each with its reason in Indonesian.
      const ineligible = api.options.filter((o) => !o.eligible);
      for (const o of ineligible) {
        const row = rows.filter({ hasText: label(o) });
        await row.getByText(`Tidak tersedia: ${REASON[o.ineligibleReason!]}`).waitFor();
      }
      await axeCheck(page);
      await screenshot(page, 'kirim-quotes');

      // At 1280 the seller picks the runner-up instead; at 360 keeps the recommendation.
      const picked = width === 1280 ? runnerUp : undefined;
      if (picked) {
        await page.getByLabel(`Pilih ${label(picked)}`, { exact: true }).check();
        await page.getByText(`Akan dikirim dengan ${label(picked)}.`).waitFor();
      }

      await page.getByRole('button', { name: 'Buat pengiriman' }).click();
      const phoneError = page.locator('#kirim-recipient-phone-error');
      await phoneError.waitFor();
      expect(await phoneError.innerText()).toBe('Harus nomor telepon Indonesia (08…, 628… atau +628…).');
      await page.getByText('Periksa kembali isian yang ditandai.').waitFor();
      // The refused create is the only request that failed.
      expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 400/)]);
      await screenshot(page, 'kirim-error');
      await fill(page, [['Nomor HP penerima', '0812 9876 5432']]);
      await page.getByRole('button', { name: 'Buat pengiriman' }).click();
      await page.getByRole('heading', { name: `Pengiriman ${reference} dibuat` }).waitFor();

      const created = (await http.get('/v1/shipments').query({ q: reference }).set(seller.auth).expect(200))
        .body.items as { id: string }[];
      expect(created).toHaveLength(1);
      const id = created[0].id;
      const before = await shipment(id);
      expect([before.status, before.recipient.phone]).toEqual(['ready', '+6281298765432']);
      expect(before.requestedCourier).toEqual(
        picked ? { code: picked.courier, service: picked.service } : null,
      );

      await page.getByRole('button', { name: 'Minta pickup' }).click();
      await page.getByTestId('pickup-item').waitFor();
      await bookPickups();
      await page.getByText('Pemesanan pickup selesai.').waitFor();
      const after = await shipment(id);
      expect(after.status).toBe('booked');
      expect(after.awb).toEqual(expect.any(String));
      if (picked) expect(after.courier).toEqual({ code: picked.courier, service: picked.service });
      const item = page.getByTestId('pickup-item');
      await item.getByText(after.awb!).waitFor();
      await item.getByText('Menunggu pickup').waitFor();
      expect(await page.getByRole('link', { name: 'Buka halaman pengiriman' }).getAttribute('href')).toBe(
        `/pengiriman/${id}`,
      );
      await axeCheck(page);
      await screenshot(page, 'kirim-pickup');
    });

    it(`uploads a CSV, fixes its bad rows in the page, resends them and books one pickup for all (${width} px)`, async () => {
      const prefix = `BULK-${width}`;
      const page = await open('/kirim', width);
      await page.getByRole('link', { name: 'Unggah CSV (kirim massal)' }).click();
      await page.getByRole('heading', { name: 'Kirim massal', level: 1 }).waitFor();

      // The template comes with the bearer token, as a file.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Unduh template' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('kirim-template-pengiriman.csv');
      const template = readFileSync(await download.path(), 'utf8');
      const [header, example] = template.trim().split(/\r?\n/);
      expect(header.split(',')).toContain('recipientPhone');
      expect(example).toContain(origin);

      const columns = ['reference', 'originAddressId', 'recipientName', 'recipientPhone', 'recipientAddress'];
      const rest = ['recipientCity', 'recipientProvince', 'recipientPostalCode', 'weightGrams', 'codAmount'];
      // At 360 px the file is as a spreadsheet in an Indonesian locale saves it: `;` between fields, dots
      // grouping thousands. The page sends its rows back the same way, so the API reads the same amounts.
      const sep = width === 360 ? ';' : ',';
      const amount = (n: number) => (width === 360 ? `100.${String(n).padStart(3, '0')}` : `${100_000 + n}`);
      const line = (n: number, phone: string, weight: string) =>
        [
          `${prefix}-${n}`,
          origin,
          `"Pembeli ${n}, Toko"`,
          phone,
          `"Jl. Melati No. ${n}, RT 01"`,
          'Jakarta Pusat',
          'DKI Jakarta',
          '10340',
          weight,
          amount(n),
        ].join(sep);
      // A spreadsheet's CRLF, a blank line before row 4 and a lone CR before row 5: rows on lines 2–4, 6, 7.
      const csv =
        [
          [...columns, ...rest].join(sep),
          line(1, '0812-1000-0001', '1000'),
          line(2, '12', '1000'), // bad phone
          line(3, '+62 812 1000 0003', '1000'),
          '',
          line(4, '081210000004', ''), // no weight
        ].join('\r\n') +
        '\r' +
        line(5, '6281210000005', '1000');
      await page.getByLabel('File CSV').setInputFiles({
        name: `${prefix}.csv`,
        mimeType: 'text/csv',
        buffer: Buffer.from(csv),
      });
      await page.getByText('3 pengiriman dibuat, 2 baris perlu diperbaiki.').waitFor();
      for (const n of [1, 3, 5]) await page.getByTestId(`bulk-row-${n}`).getByText('Dibuat').waitFor();
      const row2 = page.getByTestId('bulk-row-2');
      const row4 = page.getByTestId('bulk-row-4');
      await row2.getByText('Perlu diperbaiki').waitFor();
      // In Indonesian, as the single Kirim form says them (the API's English was shown as it came).
      expect(await row2.locator('#row-2-recipientPhone-error').innerText()).toBe(
        'Harus nomor telepon Indonesia (08…, 628… atau +628…).',
      );
      expect(await row4.locator('#row-4-weightGrams-error').innerText()).toBe('Wajib diisi.');
      // Each row is titled by its row in the seller's spreadsheet, blank lines counted.
      await row2.getByText(`Baris 3 · ${prefix}-2`).waitFor();
      await row4.getByText(`Baris 6 · ${prefix}-4`).waitFor();
      await page.getByTestId('bulk-row-5').getByText(`Baris 7 · ${prefix}-5`).waitFor();
      // Only the named fields are marked, and the cells are as the file had them (quoted commas kept).
      expect(await row2.locator('.field-error').count()).toBe(1);
      expect(await row4.locator('.field-error').count()).toBe(1);
      expect(await row2.getByLabel('recipientName', { exact: true }).inputValue()).toBe('Pembeli 2, Toko');
      await axeCheck(page);
      await screenshot(page, 'kirim-massal-errors');

      await row2.getByLabel('recipientPhone', { exact: true }).fill('0812-1000-0002');
      await row4.getByLabel('weightGrams', { exact: true }).fill('900');
      await page.getByRole('button', { name: 'Kirim ulang baris yang salah (2)' }).click();
      await page.getByText('5 pengiriman dibuat, 0 baris perlu diperbaiki.').waitFor();
      // The resent rows' answers landed on the right rows.
      await row2.getByRole('link', { name: `${prefix}-2` }).waitFor();
      await row4.getByRole('link', { name: `${prefix}-4` }).waitFor();

      const list = (await http.get('/v1/shipments').query({ q: prefix }).set(seller.auth).expect(200)).body
        .items as { id: string; reference: string }[];
      expect(list.map((s) => s.reference).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `${prefix}-${n}`));
      const byRef = Object.fromEntries(list.map((s) => [s.reference, s.id]));
      expect((await shipment(byRef[`${prefix}-2`])).recipient.phone).toBe('+6281210000002');
      for (const n of [1, 2, 3, 4, 5])
        expect((await shipment(byRef[`${prefix}-${n}`])).codAmount).toBe(100_000 + n);

      await page.getByRole('button', { name: 'Minta pickup untuk 5 pengiriman' }).click();
      await page.getByTestId('pickup-item').first().waitFor();
      await bookPickups();
      await page.getByText('Pemesanan pickup selesai.').waitFor();
      const items = page.getByTestId('pickup-item');
      expect(await items.count()).toBe(5);
      for (const s of list) {
        const booked = await shipment(s.id);
        expect([s.reference, booked.status]).toEqual([s.reference, 'booked']);
        await items.filter({ hasText: s.reference }).getByText(booked.awb!).waitFor();
      }
      await axeCheck(page);
      await screenshot(page, 'kirim-massal');
    });
  }

  it('holds back a CSV row whose cells do not line up with the header, saying why, and sends the others', async () => {
    const prefix = 'BULK-RAGGED';
    const page = await open('/kirim/massal', 360);
    await page.getByRole('heading', { name: 'Kirim massal', level: 1 }).waitFor();
    const header =
      'reference,originAddressId,recipientName,recipientPhone,recipientAddress,recipientCity,recipientProvince,recipientPostalCode,weightGrams,codAmount';
    const row = (n: number, address: string) =>
      `${prefix}-${n},${origin},Pembeli ${n},0812100000${n}0,${address},Jakarta Pusat,DKI Jakarta,10340,1000,150000`;
    // Row 2's address holds an unquoted comma: every value after it would shift one column (the weight
    // read from the postal code) if sent as read.
    await page.getByLabel('File CSV').setInputFiles({
      name: `${prefix}.csv`,
      mimeType: 'text/csv',
      // After a blank line, row 1's reference again (on line 5).
      buffer: Buffer.from(
        [
          header,
          row(1, 'Jl. Melati No. 1'),
          row(2, 'Jl. Melati No. 2, RT 01'),
          '',
          row(1, 'Jl. Mawar 3'),
        ].join('\n'),
      ),
    });
    await page.getByText('1 pengiriman dibuat, 2 baris perlu diperbaiki.').waitFor();
    // The API counts the rows it got (the row held back was not among them); the seller reads the
    // spreadsheet's row that has the reference first.
    await page.getByTestId('bulk-row-3').getByText('Sudah ada di baris 2.').waitFor();
    await page.getByTestId('bulk-row-1').getByText('Dibuat').waitFor();
    const ragged = page.getByTestId('bulk-row-2');
    await ragged.getByText('Perlu diperbaiki').waitFor();
    await ragged
      .getByText(
        'Baris ini punya 11 sel, padahal header punya 10 kolom: ada nilai setelah kolom terakhir. Nilai yang memuat koma harus diapit tanda kutip ganda.',
      )
      .waitFor();
    // Only the row that lined up reached the API.
    const list = (await http.get('/v1/shipments').query({ q: prefix }).set(seller.auth).expect(200)).body
      .items as { reference: string }[];
    expect(list.map((s) => s.reference)).toEqual([`${prefix}-1`]);
    await axeCheck(page);
    await screenshot(page, 'kirim-massal-baris-geser');
  });

  it('offers the districts an ambiguous place may mean, and one click fills them in and brings the quotes', async () => {
    const page = await open('/kirim', 1280);
    await page.getByRole('heading', { name: 'Kirim paket', level: 1 }).waitFor();
    await fill(page, [
      ['Kecamatan (opsional)', 'Sorong'],
      ['Kota/kabupaten', 'Sorong'],
      ['Provinsi', 'Papua Barat Daya'],
      ['Kode pos', '98411'],
      ['Berat (gram)', '1000'],
    ]);
    // Kota Sorong and Kabupaten Sorong both have a district Sorong: the API asks instead of guessing.
    const choices = page.getByRole('group', { name: /Maksud Anda salah satu tempat ini/ });
    await choices.getByRole('button').first().waitFor();
    const offered = await choices.getByRole('button').allInnerTexts();
    expect(offered).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Sorong, Kota Sorong, Papua Barat Daya$/),
        expect.stringMatching(/^Sorong, Kabupaten Sorong, Papua Barat Daya$/),
      ]),
    );
    await axeCheck(page);
    await screenshot(page, 'kirim-tempat-ambigu');
    await choices.getByRole('button', { name: 'Sorong, Kota Sorong, Papua Barat Daya' }).click();
    expect(await page.getByLabel('Kota/kabupaten', { exact: true }).inputValue()).toBe('Kota Sorong');
    await page.getByTestId('quote-option').first().waitFor();
    expect(await choices.count()).toBe(0);
    expect(takePageErrors(page).every((e) => /status of 422/.test(e))).toBe(true);

    // A negative COD is told its bound under the field (it was told to be a whole number, which it is).
    await page.getByLabel('Nilai COD (Rp)', { exact: true }).fill('-5');
    await page.locator('#kirim-codAmount-error').getByText('Harus 0 atau lebih.', { exact: true }).waitFor();
    expect(takePageErrors(page).every((e) => /status of 400/.test(e))).toBe(true);
  });
});
