import { Injectable } from '@nestjs/common';
import { Every } from 'src/common/every';
import { RunnableJob } from 'src/common/runnable-job';
import type { InvoicingRunDto } from './invoicing.dto';
import { InvoicingService } from './invoicing.service';

/** Trigger only: issues the invoices of the periods that are over (a no-op when all are issued). */
@Injectable()
export class InvoicingJob {
  constructor(private readonly invoicing: InvoicingService) {}

  @Every(10 * 60_000)
  @RunnableJob('invoicing')
  run(asOf?: Date): Promise<InvoicingRunDto> {
    return this.invoicing.run(asOf);
  }
}
