import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { LedgerModule } from 'src/ledger/ledger.module';
import { SellersModule } from 'src/sellers/sellers.module';
import { FinanceWithdrawalsController } from './finance-withdrawals.controller';
import { PayoutAdapter } from './payout-adapter';
import { SandboxPayoutController } from './payout/sandbox-payout.controller';
import { SandboxPayoutRepository } from './payout/sandbox-payout.repository';
import { SandboxPayoutServer } from './payout/sandbox-payout.server';
import { XenditPayoutAdapter } from './payout/xendit-payout.adapter';
import { PayoutsJob } from './payouts.job';
import { PayoutsService } from './payouts.service';
import { WithdrawalLifecycle } from './withdrawal-lifecycle.service';
import { WithdrawalsController } from './withdrawals.controller';
import { WithdrawalsRepository } from './withdrawals.repository';
import { WithdrawalsService } from './withdrawals.service';

async function startSandbox(
  store: SandboxPayoutRepository,
  clock: Clock,
  config: AppConfig,
): Promise<SandboxPayoutServer> {
  const server = new SandboxPayoutServer(store, clock, config);
  await server.start();
  return server;
}

/**
 * Withdrawals and payouts. Without PAYOUT_PROVIDER_URL the disbursement provider is the in-process
 * sandbox (and its fault route exists); the adapter speaks the same API to either.
 */
@Module({})
export class WithdrawalsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const real = config.payouts.provider;
    const timeoutMs = config.business.money.payouts.requestTimeoutMs;
    return {
      module: WithdrawalsModule,
      imports: [LedgerModule, SellersModule],
      controllers: [
        WithdrawalsController,
        FinanceWithdrawalsController,
        ...(real ? [] : [SandboxPayoutController]),
      ],
      providers: [
        WithdrawalsRepository,
        WithdrawalLifecycle,
        WithdrawalsService,
        PayoutsService,
        PayoutsJob,
        ...(real
          ? [
              {
                provide: PayoutAdapter,
                useValue: new XenditPayoutAdapter(real.url, real.secretKey, timeoutMs),
              },
            ]
          : [
              SandboxPayoutRepository,
              {
                provide: SandboxPayoutServer,
                inject: [SandboxPayoutRepository, Clock, AppConfig],
                useFactory: startSandbox,
              },
              {
                provide: PayoutAdapter,
                inject: [SandboxPayoutServer],
                useFactory: (s: SandboxPayoutServer) =>
                  new XenditPayoutAdapter(s.baseUrl, s.secretKey, timeoutMs),
              },
            ]),
      ],
      exports: [WithdrawalsService],
    };
  }
}
