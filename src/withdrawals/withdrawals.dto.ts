import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from 'src/common/pagination';
import { AnyCase, Optional, Text } from 'src/common/validators';
import { WITHDRAWAL_STATUSES, type WithdrawalStatus } from './withdrawal-status';

export class CreateWithdrawalDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    example: 500_000,
    description: 'Rupiah taken from the balance (the bank receives it less the fee)',
  })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount!: number;

  @ApiProperty({ format: 'uuid', description: 'One of your bank accounts (GET /v1/bank-accounts)' })
  @IsUUID('all')
  bankAccountId!: string;
}

export class RejectWithdrawalDto {
  @ApiProperty({ maxLength: 500, example: 'Nama rekening tidak sesuai dengan nama toko' })
  @Text(500)
  reason!: string;
}

export class ListFinanceWithdrawalsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: WITHDRAWAL_STATUSES,
    description: 'Only withdrawals in this status (any letter case)',
  })
  @Optional()
  @AnyCase()
  @IsIn(WITHDRAWAL_STATUSES)
  status?: WithdrawalStatus;
}

export class WithdrawalBankAccountDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'BCA' }) bankCode!: string;
  @ApiProperty({ example: '******7890', description: 'Masked except the last 4 digits' })
  accountNumber!: string;
  @ApiProperty() accountName!: string;
}

export class WithdrawalDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: WITHDRAWAL_STATUSES }) status!: WithdrawalStatus;
  @ApiProperty({ type: 'integer', description: 'Rupiah taken from the balance' }) amount!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah Kirim keeps (refunded if the payout fails)' })
  fee!: number;
  @ApiProperty({ type: 'integer', description: 'Rupiah the bank account receives: amount less fee' })
  netAmount!: number;
  @ApiProperty({ type: WithdrawalBankAccountDto }) bankAccount!: WithdrawalBankAccountDto;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why it failed: the provider’s code (e.g. INVALID_DESTINATION), timed_out or bounced',
  })
  failureReason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Finance’s reason, when rejected' })
  rejectionReason!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) paidAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) rejectedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** What finance sees of a withdrawal: the seller's view plus whose it is and where the payout stands. */
export class FinanceWithdrawalDto extends WithdrawalDto {
  @ApiProperty({ format: 'uuid' }) sellerId!: string;
  @ApiProperty({ example: 'Toko Batik Sekar' }) sellerName!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['sending', 'pending', 'completed', 'failed'],
    description: 'At the provider; null until sent',
  })
  payoutState!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The provider’s disbursement id' })
  providerId!: string | null;
}

export class BalanceDto {
  @ApiProperty({ type: 'integer', description: 'COD cash not yet released (rupiah)' }) pending!: number;
  @ApiProperty({ type: 'integer', description: 'Released cash (rupiah)' }) available!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Withdrawals requested or approved and not yet paid (rupiah): money on its way out',
  })
  inWithdrawal!: number;
  @ApiProperty({ type: 'integer', description: 'Issued invoices not yet settled (rupiah)' })
  outstandingInvoices!: number;
  @ApiProperty({
    type: 'integer',
    description: 'What may be withdrawn now: available less outstanding invoices',
  })
  withdrawable!: number;
}

export class PayoutFaultsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'Share of payouts that end FAILED' })
  @Optional()
  @IsNumber()
  @Min(0)
  @Max(1)
  failRate?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Share of calls never answered (and not taken)',
  })
  @Optional()
  @IsNumber()
  @Min(0)
  @Max(1)
  timeoutRate?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Share of sends never answered (and not taken) while lookups answer',
  })
  @Optional()
  @IsNumber()
  @Min(0)
  @Max(1)
  sendTimeoutRate?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1,
    description: 'Share of payouts that complete, then come back from the bank (FAILED) later',
  })
  @Optional()
  @IsNumber()
  @Min(0)
  @Max(1)
  bounceRate?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 120_000,
    description: 'Delay before every answer (a payout is taken before its answer is delayed)',
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(120_000)
  latencyMs?: number;
}

export class PayoutFaultsOutDto {
  @ApiProperty() failRate!: number;
  @ApiProperty() timeoutRate!: number;
  @ApiProperty() sendTimeoutRate!: number;
  @ApiProperty() bounceRate!: number;
  @ApiProperty({ type: 'integer' }) latencyMs!: number;
}
