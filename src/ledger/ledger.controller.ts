import { instantOf, windowEndOf } from 'src/common/wib';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { Page, PageDto } from 'src/common/pagination';
import { LedgerEntryDto, ListEntriesQueryDto, TrialBalanceDto } from './ledger.dto';
import { LedgerService } from './ledger.service';

@ApiTags('money')
@ApiBearerAuth()
@Controller('v1')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get('ledger/entries')
  @Roles(...SELLER_ROLES)
  @ApiOperation({ summary: 'The seller’s ledger entries, newest first, with the balance after each' })
  @ApiOkResponse({ type: PageDto(LedgerEntryDto) })
  entries(@CurrentSeller() sellerId: string, @Query() q: ListEntriesQueryDto): Promise<Page<LedgerEntryDto>> {
    return this.ledger.entries(sellerId, {
      from: q.from ? instantOf(q.from) : undefined,
      to: q.to ? windowEndOf(q.to) : undefined,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  @Get('finance/ledger/trial-balance')
  @Roles('finance', 'admin')
  @ApiOperation({ summary: 'Every account’s debits, credits and balance; whether the ledger verifies' })
  @ApiOkResponse({ type: TrialBalanceDto })
  async trialBalance(): Promise<TrialBalanceDto> {
    return this.ledger.trialBalance();
  }
}
