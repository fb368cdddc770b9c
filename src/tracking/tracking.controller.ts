import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import {
  CodDiscrepancyListDto,
  MonitoringDto,
  MonitoringQueryDto,
  ShipmentDetailDto,
  TrackingEventListDto,
  UnmappedCodeListDto,
} from './tracking.dto';
import { MonitoringService } from './monitoring.service';
import { TrackingViews } from './tracking-views.service';

@ApiTags('tracking')
@ApiBearerAuth()
@Controller('v1')
export class TrackingController {
  constructor(
    private readonly views: TrackingViews,
    private readonly monitoring: MonitoringService,
  ) {}

  @Get('shipments/:id')
  @Roles(...SELLER_ROLES)
  @ApiOperation({ summary: 'A shipment with its courier events, alerts, actions and scoring decision' })
  @ApiOkResponse({ type: ShipmentDetailDto })
  shipment(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<ShipmentDetailDto> {
    return this.views.shipment(sellerId, id);
  }

  @Get('shipments/:id/events')
  @Roles(...SELLER_ROLES)
  @ApiOperation({
    summary: 'A shipment’s courier events, normalized, oldest first (the courier’s words kept)',
  })
  @ApiOkResponse({ type: TrackingEventListDto })
  async events(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<TrackingEventListDto> {
    return { items: await this.views.events(sellerId, id) };
  }

  @Get('monitoring')
  @Roles(...SELLER_ROLES)
  @ApiOperation({
    summary:
      'The seller’s figures: shipments by status, open alerts by rule, each courier’s success and return rates',
    description:
      'Shipments created in [from, to) by status; per courier, the shipments that ended in the window (success ' +
      'and return rates of those, average days from pickup to delivery); open alerts as of now. Default window: the last 30 days.',
  })
  @ApiOkResponse({ type: MonitoringDto })
  figures(@CurrentSeller() sellerId: string, @Query() query: MonitoringQueryDto): Promise<MonitoringDto> {
    return this.monitoring.figures(sellerId, query);
  }

  @Get('ops/cod-discrepancies')
  @Roles('admin', 'finance')
  @ApiOperation({
    summary:
      'COD parcels whose delivery their courier took back, and those of the last 30 days it delivered with other cash than asked, or none (operators, finance)',
  })
  @ApiOkResponse({ type: CodDiscrepancyListDto })
  async codDiscrepancies(): Promise<CodDiscrepancyListDto> {
    return { items: await this.views.codDiscrepancies() };
  }

  @Get('ops/unmapped-codes')
  @Roles('admin')
  @ApiOperation({ summary: 'Courier status codes seen that no status table knows, with counts (operators)' })
  @ApiOkResponse({ type: UnmappedCodeListDto })
  async unmappedCodes(): Promise<UnmappedCodeListDto> {
    return { items: await this.views.unmappedCodes() };
  }
}
