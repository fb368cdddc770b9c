import { SetMetadata } from '@nestjs/common';

export const RUNNABLE_JOB = 'kirim:runnable-job';

/**
 * Names a job trigger so it can also be run on demand (`POST /sandbox/jobs/:name/run`). The method takes
 * an optional `asOf` date and returns what it did.
 */
export const RunnableJob = (name: string): MethodDecorator => SetMetadata(RUNNABLE_JOB, name);
