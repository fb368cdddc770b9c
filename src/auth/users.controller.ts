import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentSeller, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { IdParam } from 'src/common/id-param';
import { NoBody } from 'src/common/validation-fast-path';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { Page, PageDto, PageQueryDto } from 'src/common/pagination';
import { CreateUserDto, UserDto } from './auth.dto';
import { UsersService, userView, UserView } from './users.service';
import { ApiErrors } from 'src/common/openapi';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
@Roles('seller_owner')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: "Add a user (owner or staff) to the caller's seller" })
  @ApiCreatedResponse({ type: UserDto })
  async create(@CurrentSeller() sellerId: string, @Body() body: CreateUserDto): Promise<UserView> {
    return userView(await this.users.create({ ...body, sellerId }));
  }

  @Get()
  @ApiOkResponse({ type: PageDto(UserDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: PageQueryDto): Promise<Page<UserView>> {
    return this.users.listForSeller(sellerId, query);
  }

  @Delete(':id')
  @ApiErrors(409)
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a user; their sessions and the API keys they created end at once' })
  remove(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<void> {
    return this.users.disable(sellerId, id, me.userId);
  }
}
