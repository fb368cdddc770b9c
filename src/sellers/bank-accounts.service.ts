import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { UsersService } from 'src/auth/users.service';
import { Principal } from 'src/common/auth/principal';
import { Clock } from 'src/common/clock';
import { Page, PageQueryDto, paginate } from 'src/common/pagination';
import { Transactions } from 'src/database/transaction';
import { BankAccount } from './bank-account.entity';
import { BankAccountDto, CreateBankAccountDto } from './bank-accounts.dto';
import { BankAccountNotFoundError, DuplicateBankAccountError } from './sellers.errors';

const UNIQUE_VIOLATION = '23505';

export function maskAccountNumber(number: string): string {
  return '*'.repeat(Math.max(0, number.length - 4)) + number.slice(-4);
}

function bankAccountView(b: BankAccount): BankAccountDto {
  return {
    id: b.id,
    bankCode: b.bankCode,
    accountNumber: maskAccountNumber(b.accountNumber),
    accountName: b.accountName,
    createdAt: b.createdAt.toISOString(),
  };
}

@Injectable()
export class BankAccountsService {
  constructor(
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly users: UsersService,
  ) {}

  /**
   * Adds a bank account; `addedBy` must still be an active user of the seller (UsersService.holdActive):
   * a removed owner must not add an account of their own to withdraw to.
   * @throws DuplicateBankAccountError SELLERS_BANK_ACCOUNT_EXISTS
   * @throws InvalidTokenError AUTH_INVALID_TOKEN (`addedBy` was removed)
   */
  async create(sellerId: string, addedBy: Principal, input: CreateBankAccountDto): Promise<BankAccountDto> {
    const account: BankAccount = {
      ...input,
      id: randomUUID(),
      sellerId,
      createdAt: this.clock.now(),
      deletedAt: null,
    };
    try {
      await this.tx.run(async (m) => {
        await this.users.holdActive(sellerId, addedBy);
        await m.insert(BankAccount, account);
      });
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw new DuplicateBankAccountError();
      throw e;
    }
    return bankAccountView(account);
  }

  list(sellerId: string, query: PageQueryDto): Promise<Page<BankAccountDto>> {
    const qb = this.tx.manager
      .createQueryBuilder(BankAccount, 'b')
      .where('b.sellerId = :sellerId AND b.deletedAt IS NULL', { sellerId });
    return paginate(qb, 'b', query, bankAccountView);
  }

  /**
   * The seller's live bank account, unmasked, for payouts (`field`: the body field that named it, which
   * the error names).
   * @throws BankAccountNotFoundError SELLERS_BANK_ACCOUNT_NOT_FOUND (also for another seller's account)
   */
  async find(sellerId: string, id: string, field?: string): Promise<BankAccount> {
    const account = await this.tx.manager.findOne(BankAccount, { where: { id, sellerId } });
    if (!account || account.deletedAt) throw new BankAccountNotFoundError(field);
    return account;
  }

  /**
   * Whether the seller's bank account exists and has not been removed; if so it is held (FOR SHARE) until
   * the caller's transaction ends, so a removal waits for it.
   */
  async holdLive(sellerId: string, id: string): Promise<boolean> {
    const rows = await this.tx.manager.query<unknown[]>(
      'SELECT 1 FROM bank_accounts WHERE id = $1 AND seller_id = $2 AND deleted_at IS NULL FOR SHARE',
      [id, sellerId],
    );
    return rows.length > 0;
  }

  /**
   * Removes a bank account; `removedBy` must still be an active user of the seller, their session open
   * (UsersService.holdActive), as for adding one.
   * @throws BankAccountNotFoundError SELLERS_BANK_ACCOUNT_NOT_FOUND
   * @throws InvalidTokenError AUTH_INVALID_TOKEN (`removedBy` was removed, or their session ended)
   */
  async remove(sellerId: string, removedBy: Principal, id: string): Promise<void> {
    await this.tx.run(async (m) => {
      await this.users.holdActive(sellerId, removedBy);
      const result = await m
        .createQueryBuilder()
        .update(BankAccount)
        .set({ deletedAt: this.clock.now() })
        .where('id = :id AND seller_id = :sellerId AND deleted_at IS NULL', { id, sellerId })
        .execute();
      if (!result.affected) throw new BankAccountNotFoundError();
    });
  }
}
