import { instantOf } from 'src/common/wib';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, SandboxOperatorAllowed } from 'src/common/auth/decorators';
import { Clock } from 'src/common/clock';
import { ValidationFailedError } from 'src/common/errors/app-error';
import { JobCatalogue } from './job-catalogue';
import { JobRunDto, RunJobDto } from './jobs.dto';

/** Exists only in sandbox mode: runs a scheduled job now instead of waiting for its trigger (operators). */
@ApiTags('sandbox')
@ApiBearerAuth()
@ApiHeader({
  name: 'X-Sandbox-Operator-Token',
  required: false,
  description: 'Instead of a bearer token: the configured SANDBOX_OPERATOR_TOKEN (acts as admin)',
})
@SandboxOperatorAllowed()
@Roles('admin')
@Controller('sandbox/jobs')
export class SandboxJobsController {
  constructor(
    private readonly jobs: JobCatalogue,
    private readonly clock: Clock,
  ) {}

  @Post(':name/run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a job now (pickups, pickup-watch, …), or as of an earlier moment (never a later one: 400)',
  })
  @ApiOkResponse({ type: JobRunDto })
  async run(@Param('name') name: string, @Body() body: RunJobDto): Promise<JobRunDto> {
    const now = this.clock.now();
    const given = body.asOf ? instantOf(body.asOf) : undefined;
    const asOf = given ?? now;
    // A run as of a moment still to come would act on a future the clock has not reached: invoicing would
    // close a period parcels can still end in (and never bill them), holds would release early.
    if (asOf.getTime() > now.getTime())
      throw new ValidationFailedError([
        {
          field: 'asOf',
          message: `must not be after the service's clock (${now.toISOString()}): move the clock first (POST /sandbox/clock)`,
        },
      ]);
    // Without one, the job runs as its schedule runs it: what it writes is stamped when it is written.
    return { job: name, asOf: asOf.toISOString(), result: await this.jobs.run(name, given) };
  }
}
