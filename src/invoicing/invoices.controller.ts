import { instantOf } from 'src/common/wib';
import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import { Page, PageDto, PageQueryDto } from 'src/common/pagination';
import { InvoiceExport, InvoicingService } from './invoicing.service';
import {
  ExportQueryDto,
  InvoiceDto,
  InvoiceSummaryDto,
  InvoicingPeriodsDto,
  InvoicingRunDto,
  PeriodInvoicesDto,
  PeriodQueryDto,
  PeriodsQueryDto,
  RunInvoicingDto,
} from './invoicing.dto';

/** A file answer: the export's stream with its type and a download name. */
const file = (e: InvoiceExport) =>
  new StreamableFile(e.stream, { type: e.contentType, disposition: `attachment; filename="${e.filename}"` });

/** About a year of two-week periods. */
const DEFAULT_RECENT_PERIODS = 27;

const CSV_DOC =
  'CSV (header row; one row per line: number, seller, period, shipment, AWB, courier, kind, amount)';

@ApiTags('money')
@ApiBearerAuth()
@Controller('v1/invoices')
@Roles(...SELLER_ROLES)
export class InvoicesController {
  constructor(private readonly invoicing: InvoicingService) {}

  @Get()
  @ApiOperation({ summary: 'The seller’s invoices, newest period first (lines in GET /v1/invoices/{id})' })
  @ApiOkResponse({ type: PageDto(InvoiceSummaryDto) })
  list(@CurrentSeller() sellerId: string, @Query() q: PageQueryDto): Promise<Page<InvoiceSummaryDto>> {
    return this.invoicing.list(sellerId, q);
  }

  @Get(':id')
  @ApiOkResponse({ type: InvoiceDto })
  get(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<InvoiceDto> {
    return this.invoicing.get(id, sellerId);
  }

  @Get(':id/pdf')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The invoice as a PDF (Bahasa Indonesia)' })
  async pdf(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<StreamableFile> {
    return file(await this.invoicing.invoicePdf(id, sellerId));
  }

  @Get(':id/csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: CSV_DOC })
  async csv(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<StreamableFile> {
    return file(await this.invoicing.invoiceCsv(id, sellerId));
  }
}

@ApiTags('money')
@ApiBearerAuth()
@Controller('v1/finance')
@Roles('finance', 'admin')
export class FinanceInvoicesController {
  constructor(private readonly invoicing: InvoicingService) {}

  @Get('invoices')
  @ApiOperation({ summary: 'A period’s invoices of every seller, by number, with the period’s totals' })
  @ApiOkResponse({ type: PeriodInvoicesDto })
  list(@Query() q: PeriodQueryDto): Promise<PeriodInvoicesDto> {
    return this.invoicing.ofPeriod(q.periodStart, q);
  }

  @Get('invoices/export')
  @ApiOperation({ summary: 'A period’s invoices of every seller as one CSV or PDF (streamed)' })
  @ApiProduces('text/csv', 'application/pdf')
  @ApiOkResponse({ description: `${CSV_DOC}, or a PDF with one section per seller` })
  async export(@Query() q: ExportQueryDto): Promise<StreamableFile> {
    return file(await this.invoicing.exportPeriod(q.periodStart, q.format ?? 'csv'));
  }

  @Get('invoicing/periods')
  @ApiOperation({ summary: 'The recent invoicing periods, newest first, with their invoice counts' })
  @ApiOkResponse({ type: InvoicingPeriodsDto })
  periods(@Query() q: PeriodsQueryDto): Promise<InvoicingPeriodsDto> {
    return this.invoicing.recentPeriods(q.limit ?? DEFAULT_RECENT_PERIODS);
  }

  // Not an Idempotent() route: a run is idempotent by itself (one invoice per seller and period).
  @Post('invoicing/run')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Issue the invoices of every period over by asOf (default now; a later moment is taken as now) not issued yet',
  })
  @ApiOkResponse({ type: InvoicingRunDto })
  run(@Body() body: RunInvoicingDto): Promise<InvoicingRunDto> {
    return this.invoicing.run(body.asOf ? instantOf(body.asOf) : undefined);
  }
}
