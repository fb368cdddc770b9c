import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { Page, PageDto } from 'src/common/pagination';
import { CreateShipmentDto, ListShipmentsQueryDto, ShipmentDetailDto, ShipmentDto } from './shipments.dto';
import { ShipmentsService } from './shipments.service';

@ApiTags('shipments')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@Controller('v1/shipments')
@Roles(...SELLER_ROLES)
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: ShipmentDto })
  create(@CurrentSeller() sellerId: string, @Body() body: CreateShipmentDto): Promise<ShipmentDto> {
    return this.shipments.create(sellerId, body);
  }

  @Get()
  @ApiOkResponse({ type: PageDto(ShipmentDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: ListShipmentsQueryDto): Promise<Page<ShipmentDto>> {
    return this.shipments.list(sellerId, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ShipmentDetailDto })
  get(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<ShipmentDetailDto> {
    return this.shipments.get(sellerId, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: ShipmentDto })
  cancel(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<ShipmentDto> {
    return this.shipments.cancel(sellerId, id);
  }
}
