import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentSeller, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { IdParam } from 'src/common/id-param';
import { NoBody } from 'src/common/validation-fast-path';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { Page, PageDto, PageQueryDto } from 'src/common/pagination';
import { ApiKeyView, ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './auth.dto';

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
@Roles('seller_owner')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Idempotent({ shownOnce: 'API key' })
  @ApiOperation({
    summary: 'Create an API key (shown once; integrations act with staff rights)',
    description:
      'Repeating it with the same Idempotency-Key answers 409 naming the key created, never the key.',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @Body() body: CreateApiKeyDto,
  ) {
    return this.apiKeys.create(sellerId, me, body.name);
  }

  @Get()
  @ApiOkResponse({ type: PageDto(ApiKeyDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: PageQueryDto): Promise<Page<ApiKeyView>> {
    return this.apiKeys.list(sellerId, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once' })
  revoke(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<void> {
    return this.apiKeys.revoke(sellerId, me, id);
  }
}
