import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { IdParam } from 'src/common/id-param';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { ApiErrors } from 'src/common/openapi';
import { Page, PageDto, PageQueryDto } from 'src/common/pagination';
import { BalanceDto, CreateWithdrawalDto, WithdrawalDto } from './withdrawals.dto';
import { WithdrawalsService } from './withdrawals.service';

/** A seller's balance and withdrawals. Requesting one moves money out: owners only. */
@ApiTags('money')
@ApiBearerAuth()
@Controller('v1')
export class WithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Get('balance')
  @Roles(...SELLER_ROLES)
  @ApiOperation({ summary: 'Your money in rupiah: pending, available, on its way out, owed, withdrawable' })
  @ApiOkResponse({ type: BalanceDto })
  balance(@CurrentSeller() sellerId: string): Promise<BalanceDto> {
    return this.withdrawals.balance(sellerId);
  }

  @Post('withdrawals')
  @Roles('seller_owner')
  @Idempotent({ required: true })
  @ApiErrors(404, 422)
  @ApiOperation({
    summary: 'Withdraw to one of your bank accounts',
    description:
      'The amount (rupiah) must be at most `withdrawable` (GET /v1/balance), else 422 WITHDRAWAL_INSUFFICIENT_FUNDS naming `amount`. It leaves your balance at once; the bank receives it less the fee. Small amounts are approved at once, larger ones by finance; the payout follows (webhook `withdrawal.updated` on every change). A failed or rejected withdrawal gives the whole amount back.',
  })
  @ApiCreatedResponse({ type: WithdrawalDto })
  create(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @Body() body: CreateWithdrawalDto,
  ): Promise<WithdrawalDto> {
    return this.withdrawals.request(sellerId, me, body);
  }

  @Get('withdrawals')
  @Roles(...SELLER_ROLES)
  @ApiOperation({ summary: 'Your withdrawals, newest first' })
  @ApiOkResponse({ type: PageDto(WithdrawalDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: PageQueryDto): Promise<Page<WithdrawalDto>> {
    return this.withdrawals.list(sellerId, query);
  }

  @Get('withdrawals/:id')
  @Roles(...SELLER_ROLES)
  @ApiOperation({ summary: 'One of your withdrawals' })
  @ApiOkResponse({ type: WithdrawalDto })
  get(@CurrentSeller() sellerId: string, @IdParam() id: string): Promise<WithdrawalDto> {
    return this.withdrawals.get(sellerId, id);
  }
}
