import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentSeller, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { IdParam } from 'src/common/id-param';
import { NoBody } from 'src/common/validation-fast-path';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { Page, PageDto, PageQueryDto } from 'src/common/pagination';
import { BankAccountDto, CreateBankAccountDto } from './bank-accounts.dto';
import { BankAccountsService } from './bank-accounts.service';

/** Where money goes out: owners only. */
@ApiTags('bank-accounts')
@ApiBearerAuth()
@Controller('v1/bank-accounts')
@Roles('seller_owner')
export class BankAccountsController {
  constructor(private readonly bankAccounts: BankAccountsService) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: BankAccountDto })
  create(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @Body() body: CreateBankAccountDto,
  ): Promise<BankAccountDto> {
    return this.bankAccounts.create(sellerId, me, body);
  }

  @Get()
  @ApiOkResponse({ type: PageDto(BankAccountDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: PageQueryDto): Promise<Page<BankAccountDto>> {
    return this.bankAccounts.list(sellerId, query);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<void> {
    return this.bankAccounts.remove(sellerId, me, id);
  }
}
