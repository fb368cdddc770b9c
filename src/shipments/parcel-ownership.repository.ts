import { Injectable } from '@nestjs/common';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { ParcelOwnership } from 'src/couriers/parcel-ownership';
import { DataSource } from 'typeorm';

/** Parcels are the seller's when one of its shipments carries the AWB now or was booked with it before. */
@Injectable()
export class ParcelOwnershipRepository extends ParcelOwnership {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async owns(sellerId: string, courier: CourierCode, awb: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM shipments WHERE seller_id = $1 AND courier = $2 AND awb = $3
       UNION ALL
       SELECT 1 FROM booking_attempts a JOIN shipments s ON s.id = a.shipment_id
        WHERE s.seller_id = $1 AND a.courier = $2 AND a.awb = $3
       LIMIT 1`,
      [sellerId, courier, awb],
    );
    return rows.length > 0;
  }
}
