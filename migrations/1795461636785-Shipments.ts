import { MigrationInterface, QueryRunner } from 'typeorm';

/** Shipments: what a seller hands Kirim, from "ready" to delivered or returned. */
export class Shipments1795461636785 implements MigrationInterface {
  name = 'Shipments1795461636785';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shipments (
        id uuid PRIMARY KEY,
        seller_id uuid NOT NULL,
        reference text NOT NULL,
        origin_address_id uuid NOT NULL,
        origin jsonb NOT NULL,
        recipient_name text NOT NULL,
        recipient_phone text NOT NULL,
        recipient_address text NOT NULL,
        recipient_district text NOT NULL,
        recipient_city text NOT NULL,
        recipient_province text NOT NULL,
        recipient_postal_code text NOT NULL,
        weight_grams integer NOT NULL,
        length_cm integer,
        width_cm integer,
        height_cm integer,
        item_value bigint,
        description text,
        cod_amount bigint NOT NULL,
        requested_courier text,
        requested_service text,
        status text NOT NULL,
        reason text,
        attempts integer NOT NULL,
        cod_collected boolean NOT NULL,
        risk text NOT NULL,
        courier text,
        service text,
        awb text,
        decision jsonb,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT fk_shipments_seller FOREIGN KEY (seller_id) REFERENCES sellers(id),
        CONSTRAINT fk_shipments_origin FOREIGN KEY (origin_address_id) REFERENCES pickup_addresses(id),
        CONSTRAINT chk_shipments_cod CHECK (cod_amount >= 0),
        CONSTRAINT chk_shipments_weight CHECK (weight_grams > 0)
      )`);
    await q.query('CREATE UNIQUE INDEX idx_shipments_reference ON shipments (seller_id, reference)');
    await q.query('CREATE INDEX idx_shipments_seller ON shipments (seller_id, created_at, id)');
    await q.query('CREATE INDEX idx_shipments_seller_status ON shipments (seller_id, status)');
    await q.query('CREATE UNIQUE INDEX idx_shipments_awb ON shipments (courier, awb) WHERE awb IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE shipments');
  }
}
