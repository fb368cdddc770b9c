import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, SandboxOperatorAllowed } from 'src/common/auth/decorators';
import { Clock } from 'src/common/clock';
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
  @ApiOperation({ summary: 'Run a job now (pickups, pickup-watch, …)' })
  @ApiOkResponse({ type: JobRunDto })
  async run(@Param('name') name: string, @Body() body: RunJobDto): Promise<JobRunDto> {
    const asOf = body.asOf ? new Date(body.asOf) : this.clock.now();
    return { job: name, asOf: asOf.toISOString(), result: await this.jobs.run(name, asOf) };
  }
}
