import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from 'src/common/pagination';
import { IsInstant, Optional } from 'src/common/validators';
import { PLATFORM_ACCOUNT_KINDS, POSTING_TYPES, SELLER_ACCOUNT_KINDS } from './ledger-accounts';

export class ListEntriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Entries at or after (a date alone is 00:00 Asia/Jakarta; a time without an offset is Jakarta’s)',
  })
  @Optional()
  @IsInstant()
  from?: string;
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Entries before (a date alone takes its whole day, Asia/Jakarta; a time without an offset is Jakarta’s)',
  })
  @Optional()
  @IsInstant()
  to?: string;
}

export class LedgerEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: POSTING_TYPES, description: 'What happened' })
  type!: string;
  @ApiProperty({ enum: SELLER_ACCOUNT_KINDS }) account!: string;
  @ApiProperty({ type: 'integer', description: 'Rupiah; positive when the account grew' }) amount!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah, the account right after this entry' })
  balanceAfter!: number;
  @ApiProperty({ nullable: true, type: String, description: 'AWB, invoice number or withdrawal id' })
  reference!: string | null;
}

export class TrialBalanceAccountDto {
  @ApiProperty({ example: 'platform:courier_cod_receivable:jne' }) code!: string;
  @ApiProperty({ enum: [...SELLER_ACCOUNT_KINDS, ...PLATFORM_ACCOUNT_KINDS] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) sellerId!: string | null;
  @ApiProperty({ type: 'integer', description: 'Rupiah debited in all' }) debits!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah credited in all' }) credits!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah, in the account’s own sense (growing = positive)' })
  balance!: number;
}

export class TrialBalanceDto {
  @ApiProperty({ type: [TrialBalanceAccountDto] }) accounts!: TrialBalanceAccountDto[];
  @ApiProperty({ type: 'integer' }) totalDebits!: number;
  @ApiProperty({ type: 'integer' }) totalCredits!: number;
  @ApiProperty({
    description:
      "Debits equal credits, each account's balance is its debits and credits, and no account that may not go negative is. `npm run cli -- ledger:verify` also holds every account and transaction to its entries.",
  })
  balanced!: boolean;
}
