import { randomUUID } from 'node:crypto';
import { Transactions } from 'src/database/transaction';
import { Shipment } from 'src/shipments/shipment.entity';
import { ShipmentsRepository } from 'src/shipments/shipments.repository';
import { createShipment, signupSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';

describe('inserting a bulk import’s shipments (real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('passes over a reference taken since it was looked up, and answers each inserted row by its own id', async () => {
    const http = t.http();
    const seller = await signupSeller(http, 'Toko Sisip');
    const taken = await createShipment(http, seller, { reference: 'SISIP-TAKEN' });
    const stored = await t.dataSource.getRepository(Shipment).findOneByOrFail({ id: taken.id });
    const repository = t.app.get(ShipmentsRepository);
    const tx = t.app.get(Transactions);
    for (const chunk of [500, 2]) {
      const fresh = (reference: string): Shipment => ({ ...stored, id: randomUUID(), reference });
      const rows = [
        fresh(`SISIP-${chunk}-A`),
        fresh('SISIP-TAKEN'),
        fresh(`SISIP-${chunk}-B`),
        fresh(`SISIP-${chunk}-C`),
      ];
      const ids = rows.map((r) => r.id);
      const inserted = await tx.run(() => repository.insertNew(rows, chunk));
      expect([...inserted].sort()).toEqual([ids[0], ids[2], ids[3]].sort());
      // The rows passed in keep their own ids, so the answer built from them names the stored rows.
      expect(rows.map((r) => r.id)).toEqual(ids);
      const byId = await t.dataSource.query<{ id: string; reference: string }[]>(
        'SELECT id, reference FROM shipments WHERE id = ANY($1::uuid[])',
        [ids],
      );
      expect(new Map(byId.map((r) => [r.id, r.reference]))).toEqual(
        new Map([
          [ids[0], `SISIP-${chunk}-A`],
          [ids[2], `SISIP-${chunk}-B`],
          [ids[3], `SISIP-${chunk}-C`],
        ]),
      );
    }
  });
});
