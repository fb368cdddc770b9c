import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { NotFoundError } from 'src/common/errors/app-error';
import { RUNNABLE_JOB } from 'src/common/runnable-job';

type JobRun = (asOf?: Date) => Promise<unknown>;

/** Every trigger marked `@RunnableJob`, found once at start-up, runnable by name. */
@Injectable()
export class JobCatalogue implements OnModuleInit {
  private readonly jobs = new Map<string, JobRun>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const fn = instance[method] as (asOf?: Date) => Promise<unknown>;
        const name = this.reflector.get<string | undefined>(RUNNABLE_JOB, fn);
        if (name) this.jobs.set(name, (asOf) => fn.call(instance, asOf));
      }
    }
  }

  names(): string[] {
    return [...this.jobs.keys()].sort();
  }

  /** @throws NotFoundError JOBS_NOT_FOUND naming the jobs there are */
  async run(name: string, asOf?: Date): Promise<unknown> {
    const job = this.jobs.get(name);
    if (!job) throw new NotFoundError('JOBS_NOT_FOUND', `No job ${name}; jobs: ${this.names().join(', ')}`);
    return job(asOf);
  }
}
