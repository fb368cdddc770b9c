import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsObject,
  IsUUID,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { IsIndonesianPhone, LineText, Optional, Text } from 'src/common/validators';
import { PARCEL_ACTION_KINDS, type ParcelActionKind } from 'src/couriers/courier-adapter';
import { RecipientDto, RecipientViewDto } from 'src/shipments/shipments.dto';
import {
  SHIPMENT_ACTION_ERROR_KINDS,
  SHIPMENT_ACTION_STATUSES,
  type ShipmentActionErrorKind,
  type ShipmentActionStatus,
} from './shipment-action.entity';

/** A corrected delivery address: the recipient's fields, name and phone optional (kept when absent). */
export class ActionAddressDto extends OmitType(RecipientDto, ['name', 'phone'] as const) {
  @ApiPropertyOptional({ example: 'Budi Santoso', maxLength: 100, description: 'Kept when absent' })
  @Optional()
  @LineText(100)
  name?: string;

  @ApiPropertyOptional({ example: '0812-9876-5432', description: 'Answered in E.164; kept when absent' })
  @Optional()
  @IsIndonesianPhone()
  phone?: string;
}

/** `address` is required for update_address and refused with any other action. */
function AddressFitsAction(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'addressFitsAction',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args: ValidationArguments) =>
          (args.object as { action?: unknown }).action === 'update_address'
            ? 'address is required for update_address'
            : 'address is only for update_address',
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          (args.object as { action?: unknown }).action === 'update_address'
            ? value !== undefined
            : value === undefined,
      },
    });
}

export class CreateShipmentActionDto {
  @ApiProperty({
    enum: PARCEL_ACTION_KINDS,
    description:
      'reattempt (after a failed attempt, or to release a held parcel), return (to the sender), ' +
      'update_address (with `address`), hold (at the destination hub until told otherwise)',
  })
  @IsIn(PARCEL_ACTION_KINDS)
  action!: ParcelActionKind;

  @ApiPropertyOptional({ example: 'Penerima ada di rumah setelah jam 17.00', maxLength: 500 })
  @Optional()
  @Text(500)
  note?: string;

  @ApiPropertyOptional({
    type: ActionAddressDto,
    description: 'The corrected delivery address: required for update_address, refused otherwise',
  })
  @ValidateIf(
    (o: { action?: unknown; address?: unknown }) => o.action === 'update_address' || o.address !== undefined,
  )
  @AddressFitsAction()
  @IsObject()
  @ValidateNested()
  @Type(() => ActionAddressDto)
  address?: ActionAddressDto;

  @ApiPropertyOptional({
    description: 'You reached the buyer and agreed the next delivery (a re-attempt then succeeds more often)',
  })
  @Optional()
  @IsBoolean()
  confirmedWithBuyer?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The alert of this shipment you are acting on (it is acknowledged)',
  })
  @Optional()
  @IsUUID()
  alertId?: string;
}

export class ShipmentActionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PARCEL_ACTION_KINDS }) action!: ParcelActionKind;
  @ApiProperty({
    enum: SHIPMENT_ACTION_STATUSES,
    description:
      'sent: the courier took it; manual: the courier’s API has no such call, Kirim operations arrange it; ' +
      'failed: refused or the courier was unreachable (`error` says which); pending: being sent now',
  })
  status!: ShipmentActionStatus;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({
    type: RecipientViewDto,
    nullable: true,
    description: 'update_address: the address the courier was sent, with the district code it resolved to',
  })
  address!: RecipientViewDto | null;
  @ApiProperty() confirmedWithBuyer!: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) alertId!: string | null;
  @ApiProperty({ description: 'The courier asked' }) courier!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The courier’s ticket for the action' })
  courierReference!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why it failed: the courier’s words when it refused (its reason code when it gave none), Kirim’s own (in English) otherwise; `errorKind` says which',
  })
  error!: string | null;
  @ApiProperty({
    enum: SHIPMENT_ACTION_ERROR_KINDS,
    nullable: true,
    description:
      'Why it failed, as a kind to word in the seller’s language (null unless failed): refused by the courier (`error` is its words); the courier unreachable (nothing changed, ask again); answer_lost (no answer in time, or the connection broke once made: it may have taken it, check before asking again); superseded (taken for a booking the shipment no longer has, ask again); interrupted (not sent again after its sender stopped)',
  })
  errorKind!: ShipmentActionErrorKind | null;
  @ApiProperty({
    example: 'user:6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60',
    description: 'user:<id> or api_key:<id>',
  })
  requestedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/**
 * Where the seller's actions leave the shipment's booking (bookingStanding), as GET /v1/shipments/{id} and
 * each alert's shipment both say it, described once (the shipment adds `addressCorrectionUnconfirmed`).
 */
export class BookingStandingDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The id (in `actions`) of the seller’s hold keeping the parcel at the courier (taken, recorded for operations, or its answer lost, so it may be held): a `reattempt` releases it. Null when the parcel is not held, or a return was asked (the parcel goes back instead)',
  })
  heldBy!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the seller asked this booking’s courier to return the parcel (the latest such `return` in `actions`: being sent, taken, recorded for operations, or its answer lost, so it may be returning). From then a `hold`, `reattempt` or `update_address` is refused (422 SHIPMENTS_ACTION_NOT_ALLOWED) though the status may not show the return yet. Null when no return was asked, or the courier refused it',
  })
  returnAskedAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The id (in `actions`) of the return asked whose answer from the courier was lost (no answer in time, a connection broken, a gateway’s 502, 504 or 524): the parcel may be returning, or the courier may never have had the request. The seller may ask again (a second `return` is not refused as a repeat then): a courier that took the first refuses it, one that did not takes it; after such a refusal this still names the first, until a poll shows the parcel returning. Null when no return was asked, when a later return was taken or is being sent, and once the parcel is returning or has ended',
  })
  returnUnconfirmed!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the seller asked for the `reattempt` that answers the current failed attempt (in `actions`, sent or recorded for operations, and the latest instruction the courier has): another is refused as a repeat (409 SHIPMENTS_ACTION_ALREADY_TAKEN) until the next attempt fails, when this is null again. Null too when none was asked since that attempt failed',
  })
  reattemptAskedAt!: string | null;
}
