import supertest from 'supertest';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { TrackedShipments } from 'src/shipments/tracked-shipments.service';
import { axeCheck, PageWidth, screenshot, takePageErrors, useBrowser } from '../support/browser';
import { createOperator } from '../support/factories/operators';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned, PINNED } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { withActionAnswersLost } from '../support/lost-answers';

const HOUR = 3600_000;

/**
 * A shipment's page in real headless Chromium when the seller's actions left it in a state of its own: a
 * parcel the seller holds is offered its release (a re-attempt, which the API says releases a hold), not a
 * second hold; an address correction the courier never answered is said to be unconfirmed, the recipient
 * shown being the old one, and the same correction can be sent again; once a return was asked, the page says
 * so and offers nothing the API would refuse (a hold, a re-attempt, an address correction) — at 360 px and 1280 px, checked by
 * axe-core and photographed (test/e2e/screenshots/).
 */
describe('the shipment page after a hold or an unconfirmed address correction, in a browser', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let admin: { auth: { authorization: string } };
  let origin: string;
  const browser = useBrowser();

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http, 'Toko Tahan');
    admin = await createOperator(t, http, 'admin');
    origin = (await createAddress(http, seller)).id;
  });
  afterAll(() => t.close());

  const shipment = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body;

  /** A JNE parcel in transit, as Kirim has polled it. */
  async function inTransit(reference: string): Promise<{ id: string; awb: string }> {
    const [b] = await bookPinned(t, http, seller, origin, [PINNED.find((p) => p.code === 'jne')!], {
      reference,
    });
    for (const to of ['picked_up', 'in_transit']) {
      t.clock.advance(HOUR);
      await http.post(`/sandbox/parcels/${b.awb}/advance`).set(seller.auth).send({ to }).expect(200);
    }
    await t.app.get(TrackedShipments).pollBy(b.id, t.clock.now());
    await http.post('/sandbox/jobs/tracking-poll/run').set(admin.auth).send({}).expect(200);
    expect((await shipment(b.id)).status).toBe('in_transit');
    return b;
  }

  const open = (path: string, width: PageWidth) =>
    browser.openPage(`${t.url}${path}`, {
      width,
      beforeLoad: (p) =>
        p.addInitScript(`localStorage.setItem('kirim.token', ${JSON.stringify(seller.token)})`),
    });

  it('says so when the page could not be brought up to date after an action, and brings it up to date on retry', async () => {
    const b = await inTransit('BASI');
    const page = await open(`/pengiriman/${b.id}`, 360);
    const actions = page.getByRole('region', { name: 'Tindakan' });
    const hold = actions.getByRole('button', { name: 'Tahan di hub' });
    await hold.waitFor();
    // The shipment's own address fails from now on (a gateway's 503); the action itself goes through.
    const shipmentUrl = `${t.url}/v1/shipments/${b.id}`;
    await page.route(shipmentUrl, (route) =>
      route.request().method() === 'GET'
        ? route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>503 Service Unavailable</h1>' })
        : route.continue(),
    );
    await hold.click();
    await actions.getByRole('status').waitFor();
    const stale = page.getByRole('alert').filter({ hasText: 'Halaman ini belum diperbarui' });
    await stale.waitFor();
    // What is shown is the shipment before the hold: said so, not passed off as current.
    expect(await actions.getByTestId('held-notice').count()).toBe(0);
    expect((await shipment(b.id)).heldBy).not.toBeNull();
    await axeCheck(page);
    await screenshot(page, 'pengiriman-basi');
    await page.unroute(shipmentUrl);
    await stale.getByRole('button', { name: 'Coba lagi' }).click();
    await actions.getByTestId('held-notice').waitFor();
    expect(await stale.count()).toBe(0);
    expect(takePageErrors(page)).toEqual([expect.stringMatching(/status of 503/)]);
  });

  for (const width of [360, 1280] as PageWidth[]) {
    it(`offers a held parcel its release, which sends the re-attempt that releases it (${width} px)`, async () => {
      const b = await inTransit(`TAHAN-${width}`);
      const hold = await http
        .post(`/v1/shipments/${b.id}/actions`)
        .set(seller.auth)
        .send({ action: 'hold' })
        .expect(202);
      expect(hold.body.status).toBe('sent');
      t.clock.advance(HOUR);

      const page = await open(`/pengiriman/${b.id}`, width);
      const actions = page.getByRole('region', { name: 'Tindakan' });
      await actions.getByTestId('held-notice').waitFor();
      expect(await actions.getByTestId('held-notice').textContent()).toMatch(
        /^Paket ditahan di kurir atas permintaan Anda sejak .+\. Kurir tidak mengantarnya sampai Anda melepasnya\.$/,
      );
      const release = actions.getByRole('button', { name: 'Lepaskan tahanan / kirim ulang' });
      await release.waitFor();
      // A second hold would be 409: not offered. A return still is; no plain "Antar ulang" beside the release.
      expect(await actions.getByRole('button', { name: 'Tahan di hub' }).count()).toBe(0);
      expect(await actions.getByRole('button', { name: 'Antar ulang', exact: true }).count()).toBe(0);
      expect(await actions.getByRole('button', { name: 'Retur ke penjual' }).count()).toBe(1);
      await axeCheck(page);
      await screenshot(page, 'pengiriman-ditahan');

      await release.click();
      // Said as what it did: the hold is released (not a bare "re-attempt requested").
      await actions
        .getByRole('status')
        .getByText('Tahanan dilepas: kurir menerima permintaan dan akan mengantar ulang paket.', {
          exact: true,
        })
        .waitFor();
      const after = await shipment(b.id);
      expect(after.actions.map((a: { action: string; status: string }) => [a.action, a.status])).toEqual([
        ['reattempt', 'sent'],
        ['hold', 'sent'],
      ]);
      expect(after.heldBy).toBeNull();
      // Released: no notice, no release; a hold may be asked again.
      await actions.getByRole('button', { name: 'Tahan di hub' }).waitFor();
      expect(await actions.getByTestId('held-notice').count()).toBe(0);
      expect(await release.count()).toBe(0);
      await screenshot(page, 'pengiriman-tahanan-dilepas');
    });

    it(`once a return was asked, says so and offers no hold, re-attempt, second return or address correction, before the status shows it (${width} px)`, async () => {
      const b = await inTransit(`RETUR-${width}`);
      const ret = await http
        .post(`/v1/shipments/${b.id}/actions`)
        .set(seller.auth)
        .send({ action: 'return' })
        .expect(202);
      expect(ret.body.status).toBe('sent');
      t.clock.advance(HOUR);
      // Not polled yet: Kirim still has it in transit, where each would otherwise be offered.
      const asked = await shipment(b.id);
      expect({ status: asked.status, returnAskedAt: asked.returnAskedAt }).toEqual({
        status: 'in_transit',
        returnAskedAt: ret.body.createdAt,
      });

      const page = await open(`/pengiriman/${b.id}`, width);
      const actions = page.getByRole('region', { name: 'Tindakan' });
      const notice = actions.getByTestId('return-asked');
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(
        /^Retur sudah diminta pada .+: paket dikirim kembali kepada Anda\. Tahan, antar ulang dan koreksi alamat tidak bisa diminta lagi\.$/,
      );
      await actions.getByRole('heading', { name: 'Riwayat tindakan' }).waitFor();
      for (const name of ['Tahan di hub', 'Antar ulang', 'Retur ke penjual', 'Kirim alamat baru ke kurir'])
        expect(await actions.getByRole('button', { name }).count()).toBe(0);
      expect(await actions.getByLabel('Catatan untuk kurir (opsional)').count()).toBe(0);
      expect(await actions.getByText('Tidak ada tindakan untuk status ini.').count()).toBe(0);
      await axeCheck(page);
      await screenshot(page, 'pengiriman-retur-diminta');
      expect(takePageErrors(page)).toEqual([]);
    });

    it(`says a return the courier never answered may not have reached it, and offers only the return again, which sends it (${width} px)`, async () => {
      const b = await inTransit(`RETUR-TAK-PASTI-${width}`);
      // JNE never gets the request; Kirim's call times out, so it cannot tell.
      await withActionAnswersLost(t.app.get(CourierRegistry).get('jne'), { reached: false }, () =>
        http.post(`/v1/shipments/${b.id}/actions`).set(seller.auth).send({ action: 'return' }).expect(503),
      );
      const before = await shipment(b.id);
      expect(before.returnUnconfirmed).toBe(before.actions[0].id);
      t.clock.advance(HOUR);

      const page = await open(`/pengiriman/${b.id}`, width);
      const actions = page.getByRole('region', { name: 'Tindakan' });
      const notice = actions.getByTestId('return-asked');
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(
        /^Retur diminta pada .+, tetapi jawaban kurir tidak sampai: paket mungkin sedang dikirim kembali kepada Anda, atau permintaannya belum sampai\. Tahan, antar ulang dan koreksi alamat tidak bisa diminta\. Minta retur lagi bila perlu; kurir yang sudah menerimanya akan menolak yang kedua\.$/,
      );
      // The history says why the first failed in Indonesian, not in Kirim's English words.
      await actions
        .getByText(
          'Jawaban kurir tidak sampai; mungkin permintaan ini sudah diterimanya. Periksa pengiriman sebelum meminta lagi.',
        )
        .waitFor();
      expect(await actions.getByText(/did not answer in time/).count()).toBe(0);
      const again = actions.getByRole('button', { name: 'Retur ke penjual' });
      await again.waitFor();
      for (const name of ['Tahan di hub', 'Antar ulang', 'Kirim alamat baru ke kurir'])
        expect(await actions.getByRole('button', { name }).count()).toBe(0);
      await axeCheck(page);
      await screenshot(page, 'pengiriman-retur-tak-pasti');

      await again.click();
      await actions.getByRole('button', { name: 'Ya, retur' }).click();
      await page.getByText('Permintaan Retur ke penjual dicatat: diterima kurir.').waitFor();
      // Taken: the notice no longer doubts it, and no return is offered again.
      await waitUntil(
        async () => ((await notice.textContent()) ?? '').startsWith('Retur sudah diminta pada'),
        'the notice no longer says the courier did not answer',
      );
      expect(await again.count()).toBe(0);
      const after = await shipment(b.id);
      expect({ returnUnconfirmed: after.returnUnconfirmed, returnAskedAt: after.returnAskedAt }).toEqual({
        returnUnconfirmed: null,
        returnAskedAt: after.actions[0].createdAt,
      });
      expect(after.actions.map((a: { action: string; status: string }) => [a.action, a.status])).toEqual([
        ['return', 'sent'],
        ['return', 'failed'],
      ]);
      // The browser logs nothing but what the page was answered.
      expect(takePageErrors(page)).toEqual([]);
    });

    it(`says an address correction the courier never confirmed, the recipient shown being the old one, and sends it again (${width} px)`, async () => {
      const b = await inTransit(`ALAMAT-${width}`);
      const correction = {
        address: 'Jl. Kebon Kacang Raya No. 12 Blok C',
        district: 'Tanah Abang',
        city: 'Jakarta Pusat',
        province: 'dki jakarta',
        postalCode: '10240',
      };
      // JNE takes the correction; its answer is lost (the call times out).
      const courier = t.app.get(CourierRegistry).get('jne');
      await withActionAnswersLost(courier, { reached: true }, async () => {
        await http
          .post(`/v1/shipments/${b.id}/actions`)
          .set(seller.auth)
          .send({ action: 'update_address', address: correction })
          .expect(503);
      });
      const before = await shipment(b.id);
      expect(before.addressCorrectionUnconfirmed).toBe(before.actions[0].id);
      t.clock.advance(HOUR);

      const page = await open(`/pengiriman/${b.id}`, width);
      const notice = page.getByTestId('correction-unconfirmed');
      await notice.waitFor();
      const text = (await notice.textContent()) ?? '';
      expect(text).toContain('Koreksi alamat dikirim ke kurir pada');
      expect(text).toContain('tetapi kurir tidak mengonfirmasinya');
      expect(text).toContain('Penerima yang tampil masih alamat lama');
      expect(text).toContain(correction.address);
      // The recipient panel still shows the old address, and says it may be out of date.
      const recipient = page.locator('section[aria-labelledby="recipient-heading"]');
      expect(await recipient.locator('address').textContent()).toContain(before.recipient.address);
      await recipient.getByText('Koreksi alamat belum dikonfirmasi kurir: lihat Tindakan.').waitFor();
      await axeCheck(page);
      await screenshot(page, 'pengiriman-alamat-belum-pasti');

      await notice.getByRole('button', { name: 'Kirim ulang koreksi yang sama' }).click();
      await page.getByText('Permintaan Perbaiki alamat dicatat: diterima kurir.').waitFor();
      const after = await shipment(b.id);
      expect(after.addressCorrectionUnconfirmed).toBeNull();
      expect(after.recipient).toMatchObject({
        address: correction.address,
        district: 'Tanah Abang',
        postalCode: '10240',
        name: before.recipient.name,
        phone: before.recipient.phone,
      });
      expect(after.actions.map((a: { action: string; status: string }) => [a.action, a.status])).toEqual([
        ['update_address', 'sent'],
        ['update_address', 'failed'],
      ]);
      // The page reads the shipment again: the new recipient, the notice gone.
      await recipient.locator('address').getByText(correction.address, { exact: false }).waitFor();
      await notice.waitFor({ state: 'detached' });
      expect(takePageErrors(page)).toEqual([]);
    });
  }
});
