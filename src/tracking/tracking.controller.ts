import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import { ShipmentDetailDto } from 'src/shipments/shipments.dto';
import { TrackingEventListDto, UnmappedCodeListDto } from './tracking.dto';
import { TrackingViews } from './tracking-views.service';

@ApiTags('tracking')
@ApiBearerAuth()
@Controller('v1')
export class TrackingController {
  constructor(private readonly views: TrackingViews) {}

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

  @Get('ops/unmapped-codes')
  @Roles('admin')
  @ApiOperation({ summary: 'Courier status codes seen that no status table knows, with counts (operators)' })
  @ApiOkResponse({ type: UnmappedCodeListDto })
  async unmappedCodes(): Promise<UnmappedCodeListDto> {
    return { items: await this.views.unmappedCodes() };
  }
}
