import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import supertest from 'supertest';
import {
  axeCheck,
  isFocused,
  overflowingCells,
  PageWidth,
  screenshot,
  takePageErrors,
  useBrowser,
} from '../support/browser';
import { moveEnd } from '../support/factories/invoices';
import { addBankAccount, creditAvailable, endPinned, EndedShipment } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned, deliveredWithCash, PINNED, pushedMove } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

type Auth = { auth: { authorization: string } };

/**
 * The finance pages in real headless Chromium against the real app and PostgreSQL: invoicing run for a
 * day and the period's invoices exported as CSV and PDF, the withdrawal queue (approve → paid by the payout
 * job, reject with a reason), a courier's remittance report uploaded and reconciled, and the trial balance
 * — at 1280 px and 360 px, each page checked by axe-core and photographed.
 */
describe('the finance pages in a browser', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let finance: Auth & { id: string };
  let admin: Auth & { id: string };
  let delivered: EndedShipment[];
  let bank: string;
  const browser = useBrowser();
  // The browser's clock and the app's agree: the period 26 Oct – 8 Nov 2026 is over, 9 Nov is running.
  const NOW = new Date('2026-11-12T03:00:00.000Z');
  const PERIOD = '2026-10-26';

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    finance = await createOperator(t, http, 'finance');
    admin = await createOperator(t, http, 'admin');
    seller = await signupSeller(http, 'Toko Tagihan');
    const origin = (await createAddress(http, seller)).id;
    const jne = PINNED.find((p) => p.code === 'jne')!;
    delivered = await endPinned(t, http, seller, origin, [jne, jne, jne, jne]);
    // Ended inside the period, which is over by NOW.
    await moveEnd(
      t,
      delivered.map((d) => d.id),
      new Date('2026-11-03T05:00:00.000Z'),
    );
    t.clock.set(NOW);
    bank = await addBankAccount(http, seller);
    await creditAvailable(t, seller.sellerId, 10_000_000);
  });
  afterAll(() => t.close());

  const open = (path: string, width: PageWidth) =>
    browser.openPage(`${t.url}${path}`, {
      width,
      beforeLoad: async (p) => {
        await p.clock.setFixedTime(NOW);
        await p.addInitScript(
          `localStorage.setItem('kirim.token', ${JSON.stringify(finance.auth.authorization.slice(7))})`,
        );
      },
    });
  const look = async (page: Page, name: string) => {
    await axeCheck(page);
    await screenshot(page, name);
  };
  const requestWithdrawal = async (amount: number) =>
    (
      await http
        .post('/v1/withdrawals')
        .set(seller.auth)
        .set('Idempotency-Key', `w-${amount}-${Math.random()}`)
        .send({ amount, bankAccountId: bank })
        .expect(201)
    ).body as { id: string; status: string };
  const withdrawal = async (id: string) =>
    (await http.get(`/v1/withdrawals/${id}`).set(seller.auth).expect(200)).body as {
      status: string;
      rejectionReason: string | null;
    };
  const saved = async (download: { path(): Promise<string | null> }) => readFile((await download.path())!);

  it('runs invoicing for a day, lists the invoice with the period totals and exports CSV and PDF (1280 px)', async () => {
    const page = await open('/keuangan/tagihan', 1280);
    await page.getByRole('heading', { name: 'Tagihan', exact: true }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Periode' }).inputValue()).toBe(PERIOD);
    await page.getByText('Belum ada tagihan untuk periode ini.').waitFor();

    await page.getByLabel('Per tanggal').fill('2026-11-09');
    await page.getByRole('button', { name: 'Jalankan penagihan' }).click();
    await page.getByRole('status').filter({ hasText: 'Selesai: 1 tagihan terbit' }).waitFor();
    const listed = (
      await http.get('/v1/finance/invoices').query({ periodStart: PERIOD }).set(finance.auth).expect(200)
    ).body as { items: { number: string; sellerId: string; total: number }[]; totals: { total: number } };
    const mine = listed.items.find((i) => i.sellerId === seller.sellerId)!;
    expect(mine.total).toBeGreaterThan(0);
    const row = page.getByTestId('invoice-row').filter({ hasText: mine.number });
    await row.waitFor();
    // The period's count in the chooser follows the run.
    await page
      .getByRole('combobox', { name: 'Periode' })
      .locator('option:checked', { hasText: `· ${listed.items.length} tagihan` })
      .waitFor({ state: 'attached' });
    const rupiah = (n: number) =>
      new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 }).format(
        n,
      );
    expect(await row.textContent()).toContain(rupiah(mine.total));
    expect(await row.textContent()).toContain('Toko Tagihan');
    expect(await page.getByTestId('invoice-totals').textContent()).toContain(rupiah(listed.totals.total));

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unduh CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe(`tagihan-${PERIOD}.csv`);
    // Saved as served, its UTF-8 byte-order mark first (for Excel), not lost to the page's fetch.
    const csvBytes = await saved(csv);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csvBytes.toString('utf8')).toContain(mine.number);
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Unduh PDF' }).click(),
    ]);
    expect((await saved(pdf)).subarray(0, 4).toString('latin1')).toBe('%PDF');
    await look(page, 'keuangan-tagihan');
  });

  it('approves a withdrawal above the auto-approval limit, which the payout job pays, and rejects another with a reason (1280 px)', async () => {
    const approved = await requestWithdrawal(1_500_000);
    const rejected = await requestWithdrawal(1_200_000);
    expect([approved.status, rejected.status]).toEqual(['requested', 'requested']);
    const page = await open('/keuangan/penarikan', 1280);
    const card = (id: string) => page.locator(`[data-testid="withdrawal"][data-id="${id}"]`);
    await card(approved.id).waitFor();
    await card(rejected.id).waitFor();
    await look(page, 'keuangan-penarikan');

    await card(approved.id).getByRole('button', { name: 'Setujui' }).click();
    await card(approved.id)
      .getByText(/^Kirim Rp\s[\d.]+ ke /)
      .waitFor();
    await card(approved.id).getByRole('button', { name: 'Ya, setujui' }).click();
    await card(approved.id).getByText('Disetujui', { exact: true }).waitFor();
    expect((await withdrawal(approved.id)).status).toBe('approved');

    // No reason: the API's message stands by the field, and nothing changes.
    await card(rejected.id).getByRole('button', { name: 'Tolak', exact: true }).click();
    await card(rejected.id).getByRole('button', { name: 'Tolak penarikan' }).click();
    await card(rejected.id).locator('.field-error').getByText('Wajib diisi.').waitFor();
    takePageErrors(page);
    expect((await withdrawal(rejected.id)).status).toBe('requested');
    await card(rejected.id).getByLabel('Alasan penolakan').fill('Nama rekening tidak sesuai');
    await card(rejected.id).getByRole('button', { name: 'Tolak penarikan' }).click();
    await card(rejected.id).getByText('Ditolak', { exact: true }).waitFor();
    expect(await withdrawal(rejected.id)).toEqual(
      expect.objectContaining({ status: 'rejected', rejectionReason: 'Nama rekening tidak sesuai' }),
    );

    // Sent on the first run; the provider's answer is read on a run after its check interval.
    await http.post('/sandbox/jobs/payouts/run').set(admin.auth).send({}).expect(200);
    t.clock.advance(10 * 60_000);
    await http.post('/sandbox/jobs/payouts/run').set(admin.auth).send({}).expect(200);
    expect((await withdrawal(approved.id)).status).toBe('paid');
    await page.getByRole('combobox', { name: 'Status' }).selectOption('paid');
    await card(approved.id).getByText('Dibayar', { exact: true }).waitFor();
  });

  it('moves the keyboard on as the buttons go, and shows a withdrawal decided elsewhere meanwhile as it is now (1280 px)', async () => {
    const [mine, approvedElsewhere, rejectedElsewhere] = [
      await requestWithdrawal(1_100_000),
      await requestWithdrawal(1_300_000),
      await requestWithdrawal(1_400_000),
    ];
    const page = await open('/keuangan/penarikan', 1280);
    const card = (id: string) => page.locator(`[data-testid="withdrawal"][data-id="${id}"]`);
    const focused = () =>
      page.evaluate<string>(
        '`${document.activeElement.tagName} ${document.activeElement.textContent.trim()}`.trim()',
      );
    const press = async (locator: ReturnType<Page['locator']>) => {
      await locator.focus();
      await page.keyboard.press('Enter');
    };

    // Setujui → "Ya, setujui", Batal → back to Setujui, a decision → the new status (never <body>).
    await press(card(mine.id).getByRole('button', { name: 'Setujui' }));
    await card(mine.id).getByRole('button', { name: 'Ya, setujui' }).waitFor();
    expect(await focused()).toBe('BUTTON Ya, setujui');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await card(mine.id).getByRole('button', { name: 'Setujui' }).waitFor();
    expect(await focused()).toBe('BUTTON Setujui');
    await page.keyboard.press('Enter');
    await card(mine.id).getByRole('button', { name: 'Ya, setujui' }).waitFor();
    await page.keyboard.press('Enter');
    await card(mine.id).getByText('Disetujui', { exact: true }).waitFor();
    expect(await focused()).toBe('SPAN Disetujui');
    // Tolak → the reason, Batal → back to Tolak.
    await press(card(approvedElsewhere.id).getByRole('button', { name: 'Tolak', exact: true }));
    await card(approvedElsewhere.id).getByLabel('Alasan penolakan').waitFor();
    expect(await focused()).toBe('INPUT');
    await press(card(approvedElsewhere.id).getByRole('button', { name: 'Batal' }));
    await card(approvedElsewhere.id).getByRole('button', { name: 'Tolak', exact: true }).waitFor();
    expect(await focused()).toBe('BUTTON Tolak');

    // Approved in another tab while this one asks "sure?": the card shows it approved, nothing left to press.
    await press(card(approvedElsewhere.id).getByRole('button', { name: 'Setujui' }));
    await http
      .post(`/v1/finance/withdrawals/${approvedElsewhere.id}/approve`)
      .set(finance.auth)
      .send()
      .expect(200);
    await card(approvedElsewhere.id).getByRole('button', { name: 'Ya, setujui' }).click();
    await card(approvedElsewhere.id).getByText('Penarikan ini sudah diproses.').waitFor();
    await card(approvedElsewhere.id).getByText('Disetujui', { exact: true }).waitFor();
    expect(await card(approvedElsewhere.id).getByRole('button').count()).toBe(0);
    expect(await focused()).toBe('SPAN Disetujui');
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 409/)]);

    // Rejected elsewhere while this one writes a reason: the card shows it rejected, with that reason.
    await press(card(rejectedElsewhere.id).getByRole('button', { name: 'Tolak', exact: true }));
    await http
      .post(`/v1/finance/withdrawals/${rejectedElsewhere.id}/reject`)
      .set(finance.auth)
      .send({ reason: 'Rekening diblokir bank' })
      .expect(200);
    await card(rejectedElsewhere.id).getByLabel('Alasan penolakan').fill('Nama tidak sesuai');
    await card(rejectedElsewhere.id).getByRole('button', { name: 'Tolak penarikan' }).click();
    await card(rejectedElsewhere.id).getByText('Penarikan ini sudah diproses.').waitFor();
    await card(rejectedElsewhere.id).getByText('Ditolak', { exact: true }).waitFor();
    await card(rejectedElsewhere.id).getByText('Rekening diblokir bank').waitFor();
    expect(await card(rejectedElsewhere.id).getByRole('button').count()).toBe(0);
    expect(await card(rejectedElsewhere.id).getByRole('textbox').count()).toBe(0);
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 409/)]);
    await look(page, 'keuangan-penarikan-diproses');
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await look(page, 'keuangan-penarikan-diproses');
    expect((await withdrawal(rejectedElsewhere.id)).rejectionReason).toBe('Rekening diblokir bank');
  });

  it('uploads a courier remittance report: matched shown, the seeded mistakes in the reconciliation (1280 px)', async () => {
    const report = await http
      .get('/sandbox/couriers/jne/remittance')
      .query({ from: '2026-11-01T00:00:00.000Z', to: NOW.toISOString(), discrepancies: 'true' })
      .set(admin.auth)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    const said = Object.fromEntries(
      String(report.headers['x-sandbox-discrepancies'])
        .split(';')
        .map((kv) => kv.split('=') as [string, string]),
    );
    const page = await open('/keuangan/remitansi', 1280);
    await page.getByText('Belum ada laporan yang diunggah.').waitFor();
    await page.getByRole('combobox', { name: 'Kurir' }).selectOption('jne');
    // Saved by an older spreadsheet: Windows-1252, amounts written `Rp 150.000` with a no-break space (byte A0,
    // not UTF-8), read as the API reads such a file.
    const [header, ...rows] = (report.body as string).trimEnd().split('\n');
    const amount = header.split(';').indexOf('COD_AMOUNT');
    expect(amount).toBeGreaterThanOrEqual(0);
    const spreadsheet = [
      header,
      ...rows.map((row) =>
        row
          .split(';')
          .map((cell, i) => (i === amount ? `Rp\u00a0${Number(cell).toLocaleString('id-ID')}` : cell))
          .join(';'),
      ),
    ].join('\r\n');
    await page
      .getByLabel('File CSV')
      .setInputFiles({ name: 'jne.csv', mimeType: 'text/csv', buffer: Buffer.from(spreadsheet, 'latin1') });
    await page.getByRole('button', { name: 'Unggah' }).click();
    const result = page.getByTestId('remittance-result');
    await result.waitFor();
    const taken = (await http.get('/v1/finance/remittances').set(finance.auth).expect(200)).body.items as {
      matched: { count: number };
    }[];
    expect(taken).toHaveLength(1);
    expect(taken[0].matched.count).toBeGreaterThan(0);
    expect(await result.getByTestId('outcome-matched').locator('.amount').textContent()).toBe(
      String(taken[0].matched.count),
    );
    await page.getByTestId('remittance-row').first().waitFor();
    await page.getByTestId('recon-unmatched').getByText(said.unknown).waitFor();
    await page.getByTestId('recon-mismatches').getByText(said.wrong_amount).waitFor();
    await page.getByTestId('recon-duplicates').getByText(said.duplicate).waitFor();
    // The mismatch says what it should have been; the duplicate, of the right amount, has nothing to correct.
    expect(await page.getByTestId('recon-mismatches').innerText()).toMatch(/\(seharusnya Rp/);
    expect(await page.getByTestId('recon-duplicates').innerText()).not.toContain('seharusnya');
    await look(page, 'keuangan-remitansi');
  });

  it('lists a COD parcel its courier delivered with less cash than asked, by the courier’s own word (1280 px)', async () => {
    const booked = await deliveredWithCash(t, http, seller, '1000');
    const asked = booked.codAmount;
    const page = await open('/keuangan/remitansi', 1280);
    const item = page.getByTestId('cod-discrepancies').getByRole('listitem').filter({ hasText: booked.awb });
    await item.waitFor();
    expect(await item.innerText()).toMatch(
      new RegExp(
        `ID Express[\\s\\S]*Diminta Rp\\s?${asked.toLocaleString('id-ID').replace(/\./g, '\\.')}, kurir mencatat Rp\\s?1\\.000`,
      ),
    );
    await look(page, 'remitansi-selisih-cod');
  });

  it('shows the trial balance grouped and balanced (1280 px)', async () => {
    const tb = (await http.get('/v1/finance/ledger/trial-balance').set(finance.auth).expect(200)).body as {
      balanced: boolean;
    };
    expect(tb.balanced).toBe(true);
    const page = await open('/keuangan/neraca', 1280);
    await page.getByText('Seimbang: total debit sama dengan total kredit').waitFor();
    expect(await page.getByTestId('trial-difference').textContent()).toBe('Rp\u00a00');
    await page.getByText('Akun platform').waitFor();
    await page.getByText(/Akun penjual \(jumlah dari \d+ penjual\)/).waitFor();
    expect(await page.getByTestId('trial-row').count()).toBeGreaterThan(3);
    await look(page, 'keuangan-neraca');
  });

  it('voids a report taken by mistake from the page, with a reason, and the reconciliation follows (1280 px)', async () => {
    const [taken] = (await http.get('/v1/finance/remittances').set(finance.auth).expect(200)).body.items as {
      id: string;
    }[];
    const owedBefore = (await http.get('/v1/finance/reconciliation').set(finance.auth).expect(200)).body
      .receivable.jne as number;
    const page = await open('/keuangan/remitansi', 1280);
    const row = page.getByTestId('remittance-row').first();
    // Each row's button names its report; cancelled, the keyboard is back on it.
    const voidButton = row.getByRole('button', { name: /^Batalkan laporan JNE \d+ \w+ 2026/ });
    await voidButton.click();
    const form = page.getByTestId('void-form');
    await form.getByRole('button', { name: 'Jangan batalkan' }).click();
    await waitUntil(() => isFocused(voidButton), 'the row button has the focus again');
    await voidButton.click();
    await form
      .getByText(/^Batalkan laporan JNE yang diunggah .+\? Setorannya dibalik di buku besar/)
      .waitFor();
    // The reason is asked for, by its field.
    await form.getByRole('button', { name: 'Batalkan laporan ini' }).click();
    await form.getByText('Wajib diisi.').waitFor();
    await form.getByLabel('Alasan pembatalan').fill('Laporan SAP, diunggah sebagai JNE');
    await form.getByRole('button', { name: 'Batalkan laporan ini' }).click();
    const done = page.getByRole('status').filter({ hasText: /^Laporan JNE .+ dibatalkan\.$/ });
    await done.waitFor();
    await waitUntil(() => isFocused(done), 'the notice has the focus');
    await row.getByText(/^Dibatalkan /).waitFor();
    await row.getByText('Laporan SAP, diunggah sebagai JNE').waitFor();
    expect(await page.getByTestId('void-form').count()).toBe(0);
    const voided = (await http.get(`/v1/finance/remittances/${taken.id}`).set(finance.auth).expect(200)).body;
    expect(voided.voidReason).toBe('Laporan SAP, diunggah sebagai JNE');
    // Its settled parcels are owed again: the courier's receivable grows back by what it settled.
    const owedAfter = (await http.get('/v1/finance/reconciliation').set(finance.auth).expect(200)).body
      .receivable.jne as number;
    expect(owedAfter).toBeGreaterThan(owedBefore);
    await look(page, 'keuangan-remitansi-batal');

    // Voided by another finance user while the form was open: said so, and the row follows.
    const other = (
      await http
        .post('/v1/finance/remittances?courier=jne')
        .set(finance.auth)
        .set('content-type', 'text/csv')
        .send('awb,amount,date\nJNEBATAL0000001,15000,2026-11-11\n')
        .expect(201)
    ).body as { id: string };
    await page.reload();
    // Its row by its total (both reports were taken at the page's fixed time).
    const newest = page.getByTestId('remittance-row').filter({ hasText: /Rp\s?15\.000/ });
    await newest.getByRole('button', { name: /^Batalkan laporan JNE/ }).click();
    await page.getByTestId('void-form').getByLabel('Alasan pembatalan').fill('Dobel');
    await http
      .post(`/v1/finance/remittances/${other.id}/void`)
      .set(finance.auth)
      .send({ reason: 'Sudah dibatalkan rekan' })
      .expect(200);
    await page.getByTestId('void-form').getByRole('button', { name: 'Batalkan laporan ini' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /sudah dibatalkan sebelumnya\.$/ })
      .waitFor();
    await newest.getByText('Sudah dibatalkan rekan').waitFor();
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 409/)]);
  });

  it('works on a phone: each finance page, and a bad remittance row named by the file input (360 px)', async () => {
    const reports = async () =>
      ((await http.get('/v1/finance/remittances').set(finance.auth).expect(200)).body.items as unknown[])
        .length;
    const reportsBefore = await reports();
    const page = await open('/keuangan/tagihan', 360);
    await page.getByTestId('invoice-row').first().waitFor();
    await look(page, 'keuangan-tagihan');
    const overflow = async () => page.evaluate('document.documentElement.scrollWidth > 360');
    /** Each figure's card line as the phone shows it: the label its ::before writes, then the value. */
    const shownFigures = (testId: string) =>
      page.evaluate<string[][]>(`Array.from(document.querySelectorAll('[data-testid="${testId}"]'), (row) =>
        Array.from(row.querySelectorAll('.num'), (cell) =>
          getComputedStyle(cell, '::before').content.replace(/^"|"$/g, '') + ': ' + cell.textContent))`);

    expect(await overflow()).toBe(false);
    // Every amount, of each invoice and of the period's totals, is labelled (the table's header is hidden).
    const labels = [
      'Ongkir',
      'Biaya COD',
      'Biaya retur',
      'Cashback',
      'Refund biaya COD',
      'Total',
      'Dibayar',
      'Sisa',
    ];
    for (const testId of ['invoice-row', 'invoice-totals'])
      for (const figures of await shownFigures(testId))
        expect(figures.map((f) => f.split(': ')[0])).toEqual(labels);
    expect(await overflowingCells(page)).toEqual([]);
    await page.goto(`${t.url}/keuangan/penarikan`);
    await page.getByRole('combobox', { name: 'Status' }).selectOption('');
    await page.getByTestId('withdrawal').first().waitFor();
    expect(await overflow()).toBe(false);
    await look(page, 'keuangan-penarikan');

    await page.goto(`${t.url}/keuangan/remitansi`);
    await page.getByTestId('remittance-row').first().waitFor();
    // No file chosen: said before anything is sent.
    await page.getByRole('button', { name: 'Unggah' }).click();
    expect(await page.locator('#remit-file-error').textContent()).toBe('Wajib diisi.');
    expect(takePageErrors(page)).toEqual([]);
    await page.getByLabel('File CSV').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'CNOTE_NO;COD_AMOUNT;TGL_SETOR\n8800000000000001;abc;10/11/2026\n8800000000000002;150000;kemarin\n' +
          '8800000000000003;150.000;10/11/2026;lebih\n',
      ),
    });
    await page.getByRole('button', { name: 'Unggah' }).click();
    const fileError = page.locator('#remit-file-error');
    await fileError.waitFor();
    // In Indonesian, its row and column named as Kirim massal names a row's (it was the API's 'row 1: amount: …').
    expect(await fileError.textContent()).toBe(
      'Baris 1, jumlah COD: Bukan jumlah rupiah (mis. 150000, 150.000 atau Rp 150.000). ' +
        'Baris 2, tanggal setor: Harus tanggal: YYYY-MM-DD, DD/MM/YYYY atau ISO 8601. ' +
        'Baris 3: Baris ini punya 4 sel, padahal header punya 3 kolom: ada nilai setelah kolom terakhir. ' +
        'Nilai yang memuat titik koma harus diapit tanda kutip ganda.',
    );
    takePageErrors(page);
    expect(await reports()).toBe(reportsBefore);
    expect(await overflow()).toBe(false);
    await look(page, 'keuangan-remitansi');
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'keuangan-remitansi-salah');
    await page.setViewportSize({ width: 360, height: 800 });

    await page.goto(`${t.url}/keuangan/neraca`);
    await page.getByTestId('trial-verdict').waitFor();
    expect(await overflow()).toBe(false);
    expect(await overflowingCells(page)).toEqual([]);
    expect((await shownFigures('trial-row'))[0].map((f) => f.split(': ')[0])).toEqual([
      'Debit',
      'Kredit',
      'Saldo',
    ]);
    await look(page, 'keuangan-neraca');
  });

  it('settles deliveries their courier took back: releases one, reverses one, and shows a decision taken elsewhere (360 px)', async () => {
    const owner = await signupSeller(http, 'Toko Ditarik');
    const from = (await createAddress(http, owner)).id;
    const sap = PINNED.find((p) => p.code === 'sap')!;
    const [kept, reversed, elsewhere] = await bookPinned(t, http, owner, from, [sap, sap, sap], {
      codAmount: 120_000,
    });
    const who = { seller: owner, admin };
    const parcels = [kept, reversed, elsewhere];
    for (const b of parcels) await pushedMove(t, http, who, 'sap', b.awb, 'delivered');
    // An hour later the courier's lines take the three deliveries back.
    t.clock.advance(3600_000);
    for (const b of parcels)
      await pushedMove(t, http, who, 'sap', b.awb, 'delivery_failed', 'consignee_absent');
    t.clock.set(NOW);
    const balance = async () =>
      (await http.get('/v1/balance').set(owner.auth).expect(200)).body as {
        pending: number;
        available: number;
      };
    expect(await balance()).toEqual(expect.objectContaining({ pending: 360_000, available: 0 }));

    const page = await open('/keuangan/remitansi', 360);
    const item = (b: { awb: string }) =>
      page.getByTestId('cod-discrepancies').getByRole('listitem').filter({ hasText: b.awb });
    for (const b of parcels) await item(b).waitFor();
    expect(await item(kept).innerText()).toMatch(
      /Kurir menarik kembali pengirimannya[^\n]*kredit COD Rp\s?120\.000 ditahan di saldo tertunda penjual/,
    );
    const result = page.getByTestId('settle-result');

    // Released: the reason is required, kept with the settlement; the parcel leaves the list.
    await item(kept).getByRole('button', { name: 'Lepaskan kredit' }).click();
    const reason = item(kept).getByLabel('Alasan (disimpan untuk audit)');
    expect(await isFocused(reason)).toBe(true);
    await reason.fill('Kurir SAP mengonfirmasi uang COD diterima');
    await item(kept).getByRole('button', { name: 'Lepaskan kredit' }).click();
    await result.filter({ hasText: `Kredit COD ${kept.awb} dilepas` }).waitFor();
    await item(kept).waitFor({ state: 'detached' });
    expect(await isFocused(result)).toBe(true);

    // Reversed: out of the seller's pending, where the withheld credit still is.
    await item(reversed).getByRole('button', { name: 'Batalkan kredit' }).click();
    await item(reversed)
      .getByLabel('Alasan (disimpan untuk audit)')
      .fill('Uang COD tidak pernah diterima kurir');
    await item(reversed).getByRole('button', { name: 'Batalkan kredit' }).click();
    await result
      .filter({
        hasText: new RegExp(
          `Kredit COD ${reversed.awb} dibatalkan: Rp\\s?120\\.000 dari saldo tertunda, Rp\\s?0 dari saldo tersedia`,
        ),
      })
      .waitFor();
    await item(reversed).waitFor({ state: 'detached' });
    expect(await balance()).toEqual(expect.objectContaining({ pending: 240_000, available: 0 }));

    // Another finance user releases the third while this page is about to reverse it: the API's refusal
    // is said, the parcel leaves the list, and nothing is reversed.
    await item(elsewhere).getByRole('button', { name: 'Batalkan kredit' }).click();
    await item(elsewhere).getByLabel('Alasan (disimpan untuk audit)').fill('Kurir tidak menyetor');
    await http
      .post(`/v1/finance/cod-discrepancies/${elsewhere.id}/settle`)
      .set(finance.auth)
      .send({ decision: 'release', reason: 'Dikonfirmasi kurir lewat telepon' })
      .expect(200);
    await item(elsewhere).getByRole('button', { name: 'Batalkan kredit' }).click();
    await result
      .filter({
        hasText: `${elsewhere.awb} keluar dari daftar: Pengiriman ini sudah diselesaikan dengan keputusan lain.`,
      })
      .waitFor();
    await item(elsewhere).waitFor({ state: 'detached' });
    expect(await isFocused(result)).toBe(true);
    takePageErrors(page);
    expect(await balance()).toEqual(expect.objectContaining({ pending: 240_000, available: 0 }));

    const listed = (await http.get('/v1/ops/cod-discrepancies').set(finance.auth).expect(200)).body.items as {
      shipmentId: string;
    }[];
    for (const b of parcels) expect(listed.map((d) => d.shipmentId)).not.toContain(b.id);
    expect(await overflowingCells(page)).toEqual([]);
    await look(page, 'remitansi-ditarik-kembali');
  });

  it('resolves a line in suspense from the reconciliation: the note asked for, a wrong shipment named by its field, a line resolved elsewhere said (360 px, 1280 px)', async () => {
    const report = (
      await http
        .post('/v1/finance/remittances?courier=jne')
        .set(finance.auth)
        .set('content-type', 'text/csv')
        .send('awb,amount,date\nJNESUSP0000001,27000,2026-11-11\nJNESUSP0000002,28000,2026-11-11\n')
        .expect(201)
    ).body as { id: string };
    const lineOf = async (row: number) =>
      (
        (await http.get(`/v1/finance/remittances/${report.id}`).set(finance.auth).expect(200)).body.lines as {
          row: number;
          resolution: string | null;
          resolutionNote: string | null;
        }[]
      )[row - 1];
    const page = await open('/keuangan/remitansi', 360);
    const unmatched = page.getByTestId('recon-unmatched');
    await unmatched.getByText('JNESUSP0000001').waitFor();
    await unmatched.getByRole('button', { name: 'Selesaikan AWB JNESUSP0000001, baris 1' }).click();
    const form = page.getByTestId('resolve-form');
    await form.getByText(/^Dana Rp\s?27\.000 untuk AWB JNESUSP0000001 tertahan/).waitFor();
    await form.getByRole('combobox', { name: 'Penyelesaian' }).selectOption('write_off');
    // No note: asked for by its field, nothing sent.
    await form.getByRole('button', { name: 'Selesaikan baris' }).click();
    await form.locator('.field-error').getByText('Wajib diisi.').waitFor();
    expect((await lineOf(1)).resolution).toBeNull();
    await form.getByLabel('Catatan (wajib)').fill('Kurir tidak mengklaim setoran ini');
    await look(page, 'keuangan-remitansi-selesaikan');
    await form.getByRole('button', { name: 'Selesaikan baris' }).click();
    const done = page.getByTestId('resolve-result');
    await done
      .getByText(/^Dana Rp\s?27\.000 untuk AWB JNESUSP0000001 dicatat sebagai pendapatan Kirim\.$/)
      .waitFor();
    await waitUntil(() => isFocused(done), 'the notice has the focus');
    await unmatched.getByText('JNESUSP0000002').waitFor();
    expect(await unmatched.getByText('JNESUSP0000001').count()).toBe(0);
    expect(await lineOf(1)).toMatchObject({
      resolution: 'write_off',
      resolutionNote: 'Kurir tidak mengklaim setoran ini',
    });
    expect(await page.evaluate('document.documentElement.scrollWidth > 360')).toBe(false);

    // Credited to a shipment that is not there: the API's refusal by the shipment field.
    await page.setViewportSize({ width: 1280, height: 800 });
    await unmatched.getByRole('button', { name: 'Selesaikan AWB JNESUSP0000002, baris 2' }).click();
    await form.getByRole('combobox', { name: 'Penyelesaian' }).selectOption('credit_seller');
    await form.getByLabel('ID pengiriman').fill('6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60');
    await form.getByLabel('Catatan (wajib)').fill('Paket milik penjual');
    await form.getByRole('button', { name: 'Selesaikan baris' }).click();
    await form.locator('.field-error').first().waitFor();
    expect(await form.getByLabel('ID pengiriman').getAttribute('aria-invalid')).toBe('true');
    takePageErrors(page);
    await look(page, 'keuangan-remitansi-selesaikan');
    // Refunded by another finance user meanwhile: said above the form, nothing resolved twice.
    await http
      .post(`/v1/finance/remittances/${report.id}/lines/2/resolve`)
      .set(finance.auth)
      .send({ resolution: 'refund_courier', note: 'Dikembalikan rekan' })
      .expect(200);
    await form.getByRole('combobox', { name: 'Penyelesaian' }).selectOption('write_off');
    await form.getByRole('button', { name: 'Selesaikan baris' }).click();
    await form.getByText('Baris ini sudah diselesaikan sebelumnya.').waitFor();
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 409/)]);
    expect(await lineOf(2)).toMatchObject({
      resolution: 'refund_courier',
      resolutionNote: 'Dikembalikan rekan',
    });
  });

  it('pages through the reports uploaded with "Muat lagi", past the first 20 (1280 px)', async () => {
    const listed = async () =>
      (await http.get('/v1/finance/remittances?limit=500').set(finance.auth).expect(200)).body.items.length;
    // At least 21: more than the page's first 20.
    for (let n = await listed(), i = 0; n + i < 21; i += 1)
      await http
        .post('/v1/finance/remittances?courier=sap')
        .set(finance.auth)
        .set('content-type', 'text/csv')
        .send(`awb,amount,date\nSAPMUAT${String(i).padStart(8, '0')},${10_000 + i},2026-11-11\n`)
        .expect(201);
    const all = await listed();
    const page = await open('/keuangan/remitansi', 1280);
    const rows = page.getByTestId('remittance-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(20);
    await page.getByRole('button', { name: 'Muat lagi' }).first().click();
    await rows.nth(20).waitFor();
    expect(await rows.count()).toBe(Math.min(all, 40));
    expect(await page.getByText(`${Math.min(all, 40)} laporan ditampilkan`).count()).toBe(1);

    // A report voided past the first page: the rows shown stay (not back to the first 20), that one voided.
    const items = (await http.get('/v1/finance/remittances?limit=40').set(finance.auth).expect(200)).body
      .items as { id: string; voidedAt: string | null }[];
    const index = items.findIndex((r, i) => i >= 20 && r.voidedAt === null);
    expect(index).toBeGreaterThanOrEqual(20);
    await page.locator(`#void-${items[index].id}`).click();
    const form = page.getByTestId('void-form');
    await form.getByLabel('Alasan pembatalan').fill('Uji halaman dua');
    await form.getByRole('button', { name: 'Batalkan laporan ini' }).click();
    await rows.nth(index).getByText('Uji halaman dua').waitFor();
    expect(await rows.count()).toBe(Math.min(all, 40));
    expect(takePageErrors(page)).toEqual([]);
  });
});
