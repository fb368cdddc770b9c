import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { REPORT_UPLOAD } from 'src/common/http-edge';
import { IdParam, OrdinalParam } from 'src/common/id-param';
import { LargeUpload } from 'src/common/upload-slots';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { ApiErrors } from 'src/common/openapi';
import { Page, PageDto } from 'src/common/pagination';
import { HEADER_ALIASES } from './remittance-report';
import {
  ListRemittancesQueryDto,
  ReconciliationDto,
  ReconciliationQueryDto,
  RemittanceDetailDto,
  RemittanceDto,
  RemittanceLineDto,
  RemittanceLinesQueryDto,
  ResolveRemittanceLineDto,
  UploadRemittanceQueryDto,
  VoidRemittanceDto,
} from './remittances.dto';
import { RemittancesService } from './remittances.service';

const REPORT_DESCRIPTION =
  'The courier’s remittance report as CSV (UTF-8; UTF-16 and Windows-1252 are read when declared or marked by a BOM): ' +
  'a header row, then one line per parcel. `;` or `,` between fields. Columns (other columns are ignored; ' +
  'where a loose name — amount, tanggal, date — stands beside a specific one, the specific one is read): ' +
  `AWB (${HEADER_ALIASES.awb.join(' / ')}), COD amount (${HEADER_ALIASES.amount.join(' / ')}: 150000, 150.000, ` +
  `Rp 150.000 or 150,000.00; whole rupiah) and remitted date (${HEADER_ALIASES.remittedOn.join(' / ')}: ` +
  'YYYY-MM-DD, DD/MM/YYYY or ISO 8601). A row that cannot be read rejects the whole report (400 naming `row N: field`).';

@ApiTags('money')
@ApiBearerAuth()
@Controller('v1/finance')
@Roles('finance', 'admin')
export class RemittancesController {
  constructor(private readonly remittances: RemittancesService) {}

  @Post('remittances')
  @LargeUpload(REPORT_UPLOAD)
  @Idempotent()
  @ApiOperation({
    summary: 'Take a courier’s COD remittance report: matched lines settle its COD receivable into the bank',
    description:
      'Each line is matched (a delivered COD parcel of the courier, the same amount), an amount mismatch, ' +
      'unmatched (no such delivered COD parcel) or a duplicate (the parcel was settled already). The bank is ' +
      'debited with all the cash; what does not match waits in remittance suspense. The same file again is 409.',
  })
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: { type: 'string', description: REPORT_DESCRIPTION },
    examples: { jne: { value: 'CNOTE_NO;COD_AMOUNT;TGL_SETOR\n8800000000000001;150000;24/11/2026\n' } },
  })
  @ApiErrors(409, 413, 415)
  @ApiCreatedResponse({ type: RemittanceDto })
  upload(
    @CurrentPrincipal() caller: Principal,
    @Query() q: UploadRemittanceQueryDto,
    @Body() body: unknown,
  ): Promise<RemittanceDto> {
    return this.remittances.upload(q.courier, caller.userId, body);
  }

  @Post('remittances/:id/void')
  @HttpCode(200)
  @ApiErrors(404, 409)
  @ApiOperation({
    summary: 'Void a remittance report taken by mistake: its cash reversed, its lines settling nothing',
    description:
      'For a report uploaded for the wrong courier, or one repeating lines a courier sent before. One new ledger ' +
      'transaction reverses its cash as it stands (late matches included); its parcels are owed again: another ' +
      'report’s line that was their duplicate is decided again at once (oldest first), and another report, or the ' +
      'same file, may settle them. The report and its lines stay, marked voided. A second void is 409 ' +
      'REMITTANCE_ALREADY_VOIDED.',
  })
  @ApiOkResponse({ type: RemittanceDto })
  void(
    @CurrentPrincipal() caller: Principal,
    @IdParam() id: string,
    @Body() body: VoidRemittanceDto,
  ): Promise<RemittanceDto> {
    return this.remittances.void(id, caller.userId, body.reason);
  }

  @Post('remittances/:id/lines/:row/resolve')
  @HttpCode(200)
  @ApiErrors(404, 409, 422)
  @ApiOperation({
    summary: 'Resolve a remittance line waiting in suspense: refund the courier, keep it, or credit a seller',
    description:
      'For an unmatched, amount-mismatched or duplicate line (`:row` as GET /v1/finance/remittances/:id lists ' +
      'it) of a report not voided. In one transaction, posted once per line ' +
      '(`remittance-resolution:<report>:<row>`, the line’s amount): the cash leaves remittance suspense as ' +
      '`resolution` says, and the line keeps the resolution, the note, who and when; it leaves the ' +
      'reconciliation’s exceptions. Once per line: a second resolution (a retry, or another finance user at ' +
      'once) is 409 REMITTANCE_LINE_ALREADY_RESOLVED; a matched line is 409 REMITTANCE_LINE_NOT_IN_SUSPENSE; a ' +
      'voided report’s line 409 REMITTANCE_ALREADY_VOIDED (and a report with resolved lines can no longer be ' +
      'voided: 409 REMITTANCE_HAS_RESOLVED_LINES). `credit_seller` refusals: 404 SHIPMENTS_NOT_FOUND, 422 ' +
      'REMITTANCE_RESOLUTION_NOT_THE_PARCEL (not the parcel the line’s courier carried and delivered under the ' +
      'line’s airway bill, or re-booked away and not cancelled), 422 REMITTANCE_RESOLUTION_AMOUNT_DIFFERS (its COD ' +
      'is not the line’s amount: refund or write off instead), 409 REMITTANCE_RESOLUTION_ALREADY_CREDITED (its ' +
      'seller’s COD credit stands), 409 REMITTANCE_RESOLUTION_REVERSED_TWICE (finance reversed its credit and ' +
      'its credit again: credited no more). A `credit_seller` resolution tells the seller once, as it commits: webhook ' +
      '`shipment.status_changed` with `from` = `status` (the shipment’s, unchanged), `codCollected` true, and for a ' +
      'cancelled parcel re-booked away `carriedByEarlierBooking` naming the booking that carried it.',
  })
  @ApiParam({
    name: 'row',
    schema: { type: 'integer', minimum: 1 },
    description: 'The line’s row in the report (1 = the first after the header), as its `row`',
  })
  @ApiOkResponse({ type: RemittanceLineDto })
  resolveLine(
    @CurrentPrincipal() caller: Principal,
    @IdParam() id: string,
    @OrdinalParam('row') row: number,
    @Body() body: ResolveRemittanceLineDto,
  ): Promise<RemittanceLineDto> {
    return this.remittances.resolveLine(id, row, body, caller.userId);
  }

  @Get('remittances')
  @ApiOperation({ summary: 'Remittance reports taken, newest first' })
  @ApiOkResponse({ type: PageDto(RemittanceDto) })
  list(@Query() q: ListRemittancesQueryDto): Promise<Page<RemittanceDto>> {
    return this.remittances.list(q);
  }

  @Get('remittances/:id')
  @ApiOperation({ summary: 'A remittance report with a page of its lines and each line’s outcome' })
  @ApiOkResponse({ type: RemittanceDetailDto })
  detail(@IdParam() id: string, @Query() q: RemittanceLinesQueryDto): Promise<RemittanceDetailDto> {
    return this.remittances.detail(id, q);
  }

  @Get('reconciliation')
  @ApiOperation({
    summary:
      'Unmatched, mismatched and duplicate remittance lines, COD parcels not remitted after N days, receivables',
  })
  @ApiOkResponse({ type: ReconciliationDto })
  reconciliation(@Query() q: ReconciliationQueryDto): Promise<ReconciliationDto> {
    return this.remittances.reconciliation(q);
  }
}
