import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiNoContentResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, CurrentSeller, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { IdParam } from 'src/common/id-param';
import { NoBody } from 'src/common/validation-fast-path';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { Page, PageDto, PageQueryDto } from 'src/common/pagination';
import { AuthService } from './auth.service';
import { CreateUserDto, UserDto } from './auth.dto';
import { UsersService, userView, UserView } from './users.service';
import { ApiErrors } from 'src/common/openapi';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
@Roles('seller_owner')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Post()
  @Idempotent()
  @ApiErrors(409, 429)
  @ApiOperation({
    summary: "Add a user (owner or staff) to the caller's seller",
    description: 'At most USER_CREATE_RATE_LIMIT attempts per seller per window, whatever their answer.',
  })
  @ApiCreatedResponse({ type: UserDto })
  async create(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @Body() body: CreateUserDto,
  ): Promise<UserView> {
    await this.auth.admitUserCreation(sellerId);
    return userView(await this.users.create({ ...body, sellerId, addedBy: me }));
  }

  @Get()
  @ApiOkResponse({ type: PageDto(UserDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: PageQueryDto): Promise<Page<UserView>> {
    return this.users.listForSeller(sellerId, query);
  }

  @Delete(':id')
  @ApiErrors(409)
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Remove a user; their sessions and the API keys they created end at once' })
  remove(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<void> {
    return this.users.disable(sellerId, id, me);
  }
}
