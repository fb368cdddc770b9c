import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from 'config';
import { Clock } from 'src/common/clock';
import { MetricsService } from 'src/common/metrics.service';
import { buildAdapter } from './adapters';
import { COURIER_CODES } from './courier-adapter';
import { CallWindow, CourierMetrics } from './courier-health';
import { CourierRegistry, ResilientCourier } from './courier-registry';
import { CouriersController } from './couriers.controller';
import { CouriersService } from './couriers.service';
import { AreasModule } from 'src/areas/areas.module';
import { AreasService } from 'src/areas/areas.service';
import { sandboxLocationRows } from './sandbox/sandbox-locations';
import { CourierLocationsRepository } from './courier-locations.repository';
import { CourierLocations } from './locations';
import { CourierPolicies } from './resilience';
import { SandboxClockJob } from './sandbox/sandbox-clock.job';
import { SandboxControl } from './sandbox/sandbox-control.service';
import { SandboxController } from './sandbox/sandbox.controller';
import { SandboxFaults } from './sandbox/sandbox-faults';
import { SandboxRepository } from './sandbox/sandbox.repository';
import { SandboxWorld } from './sandbox/sandbox-world.service';
import { CourierSandboxes } from './sandbox/sandboxes';
import { registerUnmappedCodeMetric } from './unknown-codes';

async function startSandboxes(
  world: SandboxWorld,
  faults: SandboxFaults,
  config: AppConfig,
): Promise<CourierSandboxes> {
  const sandboxes = new CourierSandboxes(world, faults, config);
  await sandboxes.start();
  return sandboxes;
}

/** Each courier's adapter behind its policies; in sandbox mode the adapter talks to its sandbox. */
async function buildRegistry(
  config: AppConfig,
  sandboxes: CourierSandboxes,
  metrics: MetricsService,
  locations: CourierLocations,
  areas: AreasService,
  clock: Clock,
): Promise<CourierRegistry> {
  // A sandbox courier always has its complete generated mapping (kept if it has one, whatever its source).
  await locations.ensureSandboxMappings(
    COURIER_CODES.filter((code) => !config.couriers.credentials[code]),
    async (code) => sandboxLocationRows(code, await areas.districts()),
  );
  const courierMetrics = new CourierMetrics(metrics.registry);
  registerUnmappedCodeMetric(metrics.registry);
  const { catalogue, resilience, webhookMaxAgeSeconds } = config.business.couriers;
  return new CourierRegistry(
    COURIER_CODES.map((code) => {
      const real = config.couriers.credentials[code];
      const account = real
        ? {
            ...real,
            ...(config.couriers.webhookTokens[code]
              ? { WEBHOOK_TOKEN: config.couriers.webhookTokens[code] }
              : {}),
            ...(config.couriers.proxyUrl ? { COURIER_PROXY_URL: config.couriers.proxyUrl } : {}),
          }
        : sandboxes.get(code)!.account();
      const adapter = buildAdapter(code, {
        account,
        name: catalogue[code].name,
        catalogue: catalogue[code].services,
        webhookMaxAgeSeconds,
        locations,
        clock,
      });
      return new ResilientCourier(
        adapter,
        new CourierPolicies(code, resilience),
        new CallWindow(resilience.healthWindow),
        courierMetrics,
      );
    }),
  );
}

/** The courier port, its adapters and resilience, and (in sandbox mode) the sandboxes and their control routes. */
@Module({})
export class CouriersModule {
  static forRoot(config: AppConfig): DynamicModule {
    const sandbox = config.couriers.sandboxMode;
    return {
      module: CouriersModule,
      // Global: scoring, shipments and tracking all reach couriers through the one registry.
      global: true,
      imports: [AreasModule],
      controllers: [CouriersController, ...(sandbox ? [SandboxController] : [])],
      providers: [
        CouriersService,
        CourierLocations,
        CourierLocationsRepository,
        SandboxRepository,
        SandboxWorld,
        SandboxFaults,
        {
          provide: CourierSandboxes,
          inject: [SandboxWorld, SandboxFaults, AppConfig],
          useFactory: startSandboxes,
        },
        {
          provide: CourierRegistry,
          inject: [AppConfig, CourierSandboxes, MetricsService, CourierLocations, AreasService, Clock],
          useFactory: buildRegistry,
        },
        ...(sandbox ? [SandboxControl, SandboxClockJob] : []),
      ],
      exports: [CourierRegistry, CourierLocations, ...(sandbox ? [CourierSandboxes, SandboxWorld] : [])],
    };
  }
}
