import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from 'src/common/auth/decorators';
import { DatabaseUnavailableError } from 'src/common/errors/database-unavailable';
import { DataSource } from 'typeorm';
import { MetricsService } from 'src/common/metrics.service';

const READY_TIMEOUT_MS = 2000;

@ApiTags('operations')
@Controller()
@Public()
export class OperationsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly metrics: MetricsService,
  ) {}

  @Get('health')
  @HealthCheck()
  @ApiOkResponse({ description: 'The process is alive' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('health/ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'The database answers' })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database()]);
    } catch {
      // The only check is the database: answer as every route does while it is away.
      throw new DatabaseUnavailableError();
    }
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus metrics' })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  private async database() {
    const session = this.indicators.check('database');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise(
          (_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS)),
        ),
      ]);
      return session.up();
    } catch (e) {
      return session.down({ message: (e as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
