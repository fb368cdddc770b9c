import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { defaults } from 'config/defaults';
import { HasVisibleText, OneLine, PlainText, Trim } from 'src/common/validators';

export class CreateBankAccountDto {
  @ApiProperty({ enum: defaults.bankCodes, example: 'BCA' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @IsIn(defaults.bankCodes, { message: `bankCode must be one of ${defaults.bankCodes.join(', ')}` })
  bankCode!: string;

  @ApiProperty({ example: '1234567890', description: 'Digits; spaces and dashes are ignored' })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.replace(/[\s-]/g, '') : value,
  )
  @IsString()
  @Matches(/^\d{5,20}$/, { message: 'accountNumber must be 5 to 20 digits' })
  accountNumber!: string;

  @ApiProperty({ example: 'SEKAR AYU', maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(2)
  @PlainText()
  // The holder's name as the bank has it: one line, as finance compares it and a payout sends it.
  @OneLine()
  @HasVisibleText()
  @MaxLength(100)
  accountName!: string;
}

export class BankAccountDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() bankCode!: string;
  @ApiProperty({ example: '******7890', description: 'Masked except the last 4 digits' })
  accountNumber!: string;
  @ApiProperty() accountName!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
