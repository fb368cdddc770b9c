import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiOkResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AppConfig } from 'config';
import { bearerToken } from 'src/common/auth/bearer';
import { SecretDigest } from 'src/common/auth/secret-digest';
import { UnauthenticatedError } from 'src/common/errors/app-error';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from 'src/common/auth/decorators';
import { DatabaseUnavailableError } from 'src/common/errors/database-unavailable';
import { DataSource } from 'typeorm';
import { MetricsService } from 'src/common/metrics.service';
import { DatabaseNotifications } from 'src/database/notifications';

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
    private readonly notifications: DatabaseNotifications,
    config: AppConfig,
  ) {
    this.metricsToken =
      config.http.metricsToken === undefined ? null : new SecretDigest(config.http.metricsToken);
  }

  /** METRICS_TOKEN, or null when /metrics is open. */
  private readonly metricsToken: SecretDigest | null;

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
      return await this.health.check([() => this.database(), () => this.listener()]);
    } catch {
      // Only the database check can fail: answer as every route does while it is away.
      throw new DatabaseUnavailableError();
    }
  }

  @Get('metrics')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus metrics' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the bearer token is not it' })
  scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (this.metricsToken) {
      const token = bearerToken(authorization);
      if (!token || !this.metricsToken.matches(token))
        throw new UnauthenticatedError(
          'AUTH_INVALID_TOKEN',
          'Metrics need the METRICS_TOKEN as a bearer token',
        );
    }
    // Set here, not by @Header: a refusal is JSON like every error.
    void reply.header('content-type', 'text/plain; version=0.0.4');
    return this.metrics.registry.metrics();
  }

  /**
   * Whether notifications are heard now. Never down: without them the service still answers, its auth caches
   * bypassed until the connection listens again.
   */
  private listener() {
    return this.indicators.check('listener').up({ listening: this.notifications.listening });
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
