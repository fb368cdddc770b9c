import { Injectable } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { Every } from 'src/common/every';
import { waitUntil } from '../../support/wait';

/** A job whose runs wait at a gate the test opens. */
@Injectable()
class GatedJob {
  started = 0;
  private open!: () => void;
  private gate = new Promise<void>((resolve) => (this.open = resolve));

  release(): void {
    this.open();
  }

  @Every(10)
  async run(): Promise<void> {
    this.started += 1;
    await this.gate;
  }
}

/** A job whose runs never end until released, taken for hung after 100 ms. */
@Injectable()
class HangingJob {
  started = 0;
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  release(): void {
    this.open();
  }

  @Every(10, { stuckAfterMs: 100 })
  async run(): Promise<void> {
    this.started += 1;
    await this.gate;
  }
}

describe('Every: a scheduled job one run at a time', () => {
  it('starts no scheduled run while the last is still going, lets an on-demand run through, and goes on after', async () => {
    const module = await Test.createTestingModule({
      imports: [ScheduleModule.forRoot()],
      providers: [GatedJob],
    }).compile();
    await module.init();
    const job = module.get(GatedJob);
    try {
      await waitUntil(() => job.started === 1, 'the scheduler starts a run');
      // Ten ticks and more go by while that run waits: none starts another.
      await sleep(150);
      expect(job.started).toBe(1);
      // A run asked for on demand is not held back by the scheduled one.
      const asked = job.run();
      expect(job.started).toBe(2);
      job.release();
      await asked;
      // The scheduled run over, the ticks start runs again.
      await waitUntil(() => job.started >= 4, 'scheduled runs go on');
    } finally {
      job.release();
      await module.close();
    }
  });

  it('starts a run beside one gone on past its bound (a hung query), rather than stopping the job', async () => {
    const module = await Test.createTestingModule({
      imports: [ScheduleModule.forRoot()],
      providers: [HangingJob],
    }).compile();
    await module.init();
    const job = module.get(HangingJob);
    try {
      await waitUntil(() => job.started >= 2, 'a second run starts beside the hung one');
    } finally {
      job.release();
      await module.close();
    }
  });
});
