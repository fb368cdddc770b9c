import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from 'src/common/pagination';
import { AnyCase, IsInstant, Optional, QueryInteger } from 'src/common/validators';
import { INVOICE_LINE_KINDS, type InvoiceLineKind, type InvoiceStatus } from './invoice-lines';

const STATUSES: InvoiceStatus[] = ['issued', 'partially_paid', 'paid'];

export class InvoiceLineDto {
  @ApiProperty({ format: 'uuid' }) shipmentId!: string;
  @ApiProperty() awb!: string;
  @ApiProperty({ example: 'jne' }) courier!: string;
  @ApiProperty({ enum: INVOICE_LINE_KINDS }) kind!: InvoiceLineKind;
  @ApiProperty({
    type: 'integer',
    description:
      'Rupiah owed for the line; negative for cashback and cod_fee_refund. cod_fee_refund gives back the COD fee an earlier invoice charged for a parcel whose COD cash was found never collected (its credit reversed); cod_fee_recharge charges it again when the parcel is then delivered with its cash; a cod_fee line for a parcel of an earlier period charges a fee never charged (its cash found collected after all)',
  })
  amount!: number;
}

export class InvoiceSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'INV/2026/12/000123' }) number!: string;
  @ApiProperty({ format: 'uuid' }) sellerId!: string;
  @ApiProperty({ format: 'date-time', description: 'First instant of the period (00:00 Asia/Jakarta)' })
  periodStart!: string;
  @ApiProperty({ format: 'date-time', description: 'First instant after the period (exclusive)' })
  periodEnd!: string;
  @ApiProperty({ format: 'date', description: 'First day of the period, Asia/Jakarta' })
  periodStartDate!: string;
  @ApiProperty({ format: 'date', description: 'Last day of the period, Asia/Jakarta' })
  periodLastDate!: string;
  @ApiProperty({ enum: STATUSES }) status!: InvoiceStatus;
  @ApiProperty({ type: 'integer', description: 'Rupiah: shipping fees' }) shippingTotal!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Rupiah: COD fees of delivered COD parcels (cod_fee and cod_fee_recharge lines)',
  })
  codFeeTotal!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah: return fees of returned parcels' })
  returnFeeTotal!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah: cashback deducted' }) cashbackTotal!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Rupiah: COD fees refunded (cod_fee_refund lines), deducted; positive',
  })
  codFeeRefundTotal!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Rupiah: shipping + COD fees + return fees − cashback − COD fee refunds; below zero, Kirim credited the difference to the seller’s available balance when issuing',
  })
  total!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah settled so far from the seller’s available money' })
  paid!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah still owed (settled from later releases)' })
  outstanding!: number;
  @ApiProperty({ type: 'integer' }) lineCount!: number;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
}

export class InvoiceDto extends InvoiceSummaryDto {
  @ApiProperty({ type: [InvoiceLineDto] }) lines!: InvoiceLineDto[];
}

export class PeriodTotalsDto {
  @ApiProperty({ type: 'integer' }) invoices!: number;
  @ApiProperty({ type: 'integer' }) lineCount!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) shippingTotal!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) codFeeTotal!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) returnFeeTotal!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) cashbackTotal!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) codFeeRefundTotal!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) total!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) paid!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah' }) outstanding!: number;
}

/** What finance sees of an invoice in a period's list: the seller's summary and whose it is. */
export class FinanceInvoiceSummaryDto extends InvoiceSummaryDto {
  @ApiProperty({ example: 'Toko Batik Sekar' }) sellerName!: string;
}

export class PeriodInvoicesDto {
  @ApiProperty({ format: 'date-time' }) periodStart!: string;
  @ApiProperty({ format: 'date-time' }) periodEnd!: string;
  @ApiProperty({ type: PeriodTotalsDto, description: 'Over every invoice of the period (all pages)' })
  totals!: PeriodTotalsDto;
  @ApiProperty({ type: [FinanceInvoiceSummaryDto] }) items!: FinanceInvoiceSummaryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

const PERIOD_START = {
  description:
    'The period’s first day (YYYY-MM-DD, Asia/Jakarta) or its first instant (ISO-8601, as invoices show it)',
  example: '2026-11-30',
};

export class PeriodQueryDto extends PageQueryDto {
  @ApiProperty(PERIOD_START)
  @IsString()
  @MaxLength(40)
  periodStart!: string;
}

export class ExportQueryDto {
  @ApiProperty(PERIOD_START)
  @IsString()
  @MaxLength(40)
  periodStart!: string;
  @ApiPropertyOptional({ enum: ['csv', 'pdf'], default: 'csv', description: 'Any letter case' })
  @Optional()
  @AnyCase()
  @IsIn(['csv', 'pdf'])
  format?: 'csv' | 'pdf';
}

export class RunInvoicingDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Issue now the invoices of every period over by this moment (default: now; a later one is taken as now) (a date alone is 00:00 Asia/Jakarta; a time without an offset is Jakarta’s)',
  })
  @Optional()
  @IsInstant()
  asOf?: string;
}

export class InvoicingRunDto {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: 'integer', description: 'Periods that had sellers still to invoice' })
  periods!: number;
  @ApiProperty({ type: 'integer', description: 'Invoices issued by this run' }) issued!: number;
}

export class PeriodsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 27 })
  @Optional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class InvoicingPeriodDto {
  @ApiProperty({
    example: '2026-11-16',
    description: 'The first day (YYYY-MM-DD, Asia/Jakarta): what periodStart takes',
  })
  startDate!: string;
  @ApiProperty({ example: '2026-11-29', description: 'The last day (YYYY-MM-DD, Asia/Jakarta), inclusive' })
  lastDate!: string;
  @ApiProperty({ format: 'date-time' }) periodStart!: string;
  @ApiProperty({ format: 'date-time', description: 'The first instant after the period' }) periodEnd!: string;
  @ApiProperty({
    description: 'Whether the period has ended (its invoices are issued once it has, after the grace)',
  })
  ended!: boolean;
  @ApiProperty({ type: 'integer', description: 'Invoices issued for the period so far' }) invoices!: number;
}

export class InvoicingPeriodsDto {
  @ApiProperty({ type: [InvoicingPeriodDto], description: 'Newest first, from the period now is in' })
  items!: InvoicingPeriodDto[];
}
