import { Body, Controller, Get, Header, Headers, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { BulkImportResult, BulkImportService } from './bulk-import/bulk-import.service';
import { CSV_COLUMNS, CSV_REQUIRED_COLUMNS, MAX_BULK_ROWS } from './bulk-import/shipments-csv';
import { ApiJsonOrCsvBody } from 'src/common/openapi';
import { rowsCheckedEach } from 'src/common/http-edge';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import { NoBody } from 'src/common/validation-fast-path';
import { LargeUpload } from 'src/common/upload-slots';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { Page, PageDto } from 'src/common/pagination';
import { BulkImportResultDto, CreateShipmentDto, ListShipmentsQueryDto, ShipmentDto } from './shipments.dto';
import { ShipmentsService } from './shipments.service';
import { ApiErrors } from 'src/common/openapi';

@ApiTags('shipments')
@ApiBearerAuth()
@Controller('v1/shipments')
@Roles(...SELLER_ROLES)
export class ShipmentsController {
  constructor(
    private readonly shipments: ShipmentsService,
    private readonly bulkImport: BulkImportService,
  ) {}

  @Post()
  @ApiErrors(404, 422)
  @Idempotent()
  @ApiCreatedResponse({ type: ShipmentDto })
  create(@CurrentSeller() sellerId: string, @Body() body: CreateShipmentDto): Promise<ShipmentDto> {
    return this.shipments.create(sellerId, body);
  }

  @Post('bulk')
  @LargeUpload(rowsCheckedEach(MAX_BULK_ROWS))
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary:
      'Create up to 5,000 shipments from a JSON array or a CSV upload (text/csv); valid rows are kept, bad rows named',
  })
  @ApiJsonOrCsvBody(
    CreateShipmentDto,
    CSV_COLUMNS.map((name) => ({ name, required: CSV_REQUIRED_COLUMNS.includes(name) })),
    'A JSON array of shipments (each as POST /v1/shipments), or CSV text (content-type text/csv; a quoted ' +
      'recipientAddress cell may span lines, joined onto one with ", ")',
  )
  @ApiOkResponse({ type: BulkImportResultDto })
  bulk(
    @CurrentSeller() sellerId: string,
    @Body() body: unknown,
    @Headers('content-type') contentType?: string,
  ): Promise<BulkImportResult> {
    return this.bulkImport.import(
      sellerId,
      body,
      /^(text|application)\/csv/i.test(contentType ?? '') ? 'csv' : 'json',
    );
  }

  @Get('bulk/template')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="kirim-template-pengiriman.csv"')
  @ApiOperation({
    summary: 'The CSV template for bulk upload: every column and an example row from your address',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: `CSV with the columns ${CSV_COLUMNS.join(', ')}` })
  template(@CurrentSeller() sellerId: string): Promise<string> {
    return this.bulkImport.template(sellerId);
  }

  @Get()
  @ApiOkResponse({ type: PageDto(ShipmentDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: ListShipmentsQueryDto): Promise<Page<ShipmentDto>> {
    return this.shipments.list(sellerId, query);
  }

  @Post(':id/cancel')
  @ApiErrors(409)
  @HttpCode(200)
  @ApiOkResponse({ type: ShipmentDto })
  cancel(
    @CurrentSeller() sellerId: string,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<ShipmentDto> {
    return this.shipments.cancel(sellerId, id);
  }
}
