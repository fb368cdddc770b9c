import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CourierDto } from './couriers.dto';
import { CouriersService } from './couriers.service';

@ApiTags('couriers')
@ApiBearerAuth()
@Controller('v1/couriers')
export class CouriersController {
  constructor(private readonly couriers: CouriersService) {}

  @Get()
  @ApiOkResponse({ type: [CourierDto] })
  list(): CourierDto[] {
    return this.couriers.list();
  }
}
