import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { IdParam } from 'src/common/id-param';
import { ApiErrors } from 'src/common/openapi';
import { Page, PageDto } from 'src/common/pagination';
import { NoBody } from 'src/common/validation-fast-path';
import { FinanceWithdrawalDto, ListFinanceWithdrawalsQueryDto, RejectWithdrawalDto } from './withdrawals.dto';
import { WithdrawalsService } from './withdrawals.service';

/** Finance's queue: every seller's withdrawals, approved or rejected by hand above the auto-approval limit. */
@ApiTags('finance')
@ApiBearerAuth()
@Roles('finance', 'admin')
@Controller('v1/finance/withdrawals')
export class FinanceWithdrawalsController {
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Get()
  @ApiOperation({ summary: 'Withdrawals of every seller, optionally of one status, newest first' })
  @ApiOkResponse({ type: PageDto(FinanceWithdrawalDto) })
  list(@Query() query: ListFinanceWithdrawalsQueryDto): Promise<Page<FinanceWithdrawalDto>> {
    return this.withdrawals.financeList(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One withdrawal of any seller, as it is now' })
  @ApiOkResponse({ type: FinanceWithdrawalDto })
  get(@IdParam() id: string): Promise<FinanceWithdrawalDto> {
    return this.withdrawals.financeGet(id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiErrors(409, 422)
  @ApiOperation({
    summary: 'Approve a requested withdrawal; the payout job sends it (409 unless requested)',
    description:
      'A withdrawal whose bank account the seller has removed is not approved (422 ' +
      'WITHDRAWAL_BANK_ACCOUNT_REMOVED): reject it instead, and its amount is available to the seller again.',
  })
  @ApiOkResponse({ type: FinanceWithdrawalDto })
  approve(
    @CurrentPrincipal() caller: Principal,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<FinanceWithdrawalDto> {
    return this.withdrawals.approve(id, caller.userId);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiErrors(409)
  @ApiOperation({
    summary: 'Reject a requested withdrawal with a reason; the seller’s money is available again',
  })
  @ApiOkResponse({ type: FinanceWithdrawalDto })
  reject(
    @CurrentPrincipal() caller: Principal,
    @IdParam() id: string,
    @Body() body: RejectWithdrawalDto,
  ): Promise<FinanceWithdrawalDto> {
    return this.withdrawals.reject(id, caller.userId, body.reason);
  }
}
