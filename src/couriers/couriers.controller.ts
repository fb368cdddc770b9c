import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AnyCaller } from 'src/common/auth/decorators';
import { CourierDto } from './couriers.dto';
import { CouriersService } from './couriers.service';

@ApiTags('couriers')
@ApiBearerAuth()
@AnyCaller()
@Controller('v1/couriers')
export class CouriersController {
  constructor(private readonly couriers: CouriersService) {}

  @Get()
  @ApiOkResponse({ type: [CourierDto] })
  list(): CourierDto[] {
    return this.couriers.list();
  }
}
