import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { PickupService } from './pickup.service';
import { CreatePickupDto, PickupAcceptedDto, PickupDto } from './pickups.dto';
import { ApiErrors } from 'src/common/openapi';

@ApiTags('pickups')
@ApiBearerAuth()
@Controller('v1/pickups')
@Roles(...SELLER_ROLES)
export class PickupsController {
  constructor(private readonly pickups: PickupService) {}

  @Post()
  @ApiErrors(422)
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary: 'Book up to 500 ready shipments: accepted at once, then booked with failover in the background',
  })
  @ApiAcceptedResponse({ type: PickupAcceptedDto })
  create(@CurrentSeller() sellerId: string, @Body() body: CreatePickupDto): Promise<PickupAcceptedDto> {
    return this.pickups.accept(sellerId, body.shipmentIds, body.pickupDate);
  }

  @Get(':id')
  @ApiOkResponse({ type: PickupDto })
  get(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<PickupDto> {
    return this.pickups.view(sellerId, id);
  }
}
