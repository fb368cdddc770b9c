import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import { NoBody } from 'src/common/validation-fast-path';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { Page, PageDto, PageQueryDto } from 'src/common/pagination';
import { AddressDto, CreateAddressDto, UpdateAddressDto } from './addresses.dto';
import { AddressesService } from './addresses.service';

@ApiTags('addresses')
@ApiBearerAuth()
@Controller('v1/addresses')
@Roles(...SELLER_ROLES)
export class AddressesController {
  constructor(private readonly addresses: AddressesService) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: AddressDto })
  create(@CurrentSeller() sellerId: string, @Body() body: CreateAddressDto): Promise<AddressDto> {
    return this.addresses.create(sellerId, body);
  }

  @Get()
  @ApiOkResponse({ type: PageDto(AddressDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: PageQueryDto): Promise<Page<AddressDto>> {
    return this.addresses.list(sellerId, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AddressDto })
  get(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<AddressDto> {
    return this.addresses.get(sellerId, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: AddressDto })
  update(
    @CurrentSeller() sellerId: string,
    @IdParam() id: string,
    @Body() body: UpdateAddressDto,
  ): Promise<AddressDto> {
    return this.addresses.update(sellerId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(
    @CurrentSeller() sellerId: string,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<void> {
    return this.addresses.remove(sellerId, id);
  }
}
