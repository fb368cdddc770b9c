import { instantOf, wibDate, windowEndOf } from 'src/common/wib';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Principal } from 'src/common/auth/principal';
import { AppConfig } from 'config';
import { Clock, MovableClock } from 'src/common/clock';
import { InvalidStateError, NotFoundError, ValidationFailedError } from 'src/common/errors/app-error';
import { COURIER_CODES, type CourierCode } from '../courier-adapter';
import { ParcelOwnership } from '../parcel-ownership';
import { SandboxFaults } from './sandbox-faults';
import { SandboxRepository } from './sandbox.repository';
import { SandboxWorld } from './sandbox-world.service';
import type { AdvanceDto, FaultsDto, RemittanceReportQueryDto, SandboxParcelDto } from './sandbox.dto';
import { type Discrepancies, remittanceReport } from './sandbox-remittance';
import type { Faults } from './sandbox.repository';
import { isPickedUp, PICKUP_SCRIPTS, type PlanStep, type Script } from './world';
import { CourierSandboxes } from './sandboxes';

const view = (courier: string, awb: string, steps: PlanStep[]): SandboxParcelDto => ({
  courier,
  awb,
  steps: steps.map((s) => ({
    at: s.at,
    status: s.status,
    ...(s.reason ? { reason: s.reason } : {}),
    location: s.location,
  })),
});

/**
 * The sandbox control routes' work: faults, driving parcels by hand, and moving the clock. Faults, the
 * clock and jobs are operator controls (the routes admit admins only); a parcel may be driven by an
 * admin, or by the seller whose shipment it is.
 */
@Injectable()
export class SandboxControl {
  constructor(
    private readonly world: SandboxWorld,
    private readonly faults: SandboxFaults,
    private readonly repository: SandboxRepository,
    private readonly clock: Clock,
    private readonly sandboxes: CourierSandboxes,
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
  ) {}

  /** @throws NotFoundError SANDBOX_COURIER_NOT_FOUND when the courier is unknown or has real credentials. */
  async setFaults(code: string, dto: FaultsDto): Promise<Faults> {
    this.sandboxCourier(code);
    const current = await this.faults.for(code as CourierCode);
    return this.faults.set(code as CourierCode, { ...current, ...dto });
  }

  private sandboxCourier(code: string): CourierCode {
    if (!COURIER_CODES.includes(code as CourierCode) || !this.sandboxes.get(code as CourierCode)) {
      throw new NotFoundError('SANDBOX_COURIER_NOT_FOUND', `No sandbox courier ${code}`);
    }
    return code as CourierCode;
  }

  /**
   * The courier's COD remittance report (CSV in its own wording) for parcels delivered in [from, to) by the
   * service clock's now; with `discrepancies` (not `false`), seeded mistakes, named in `discrepancies`.
   * @throws NotFoundError SANDBOX_COURIER_NOT_FOUND
   * @throws ValidationFailedError when `to` is not after `from` or the window is over 366 days
   */
  async remittanceReport(
    code: string,
    q: RemittanceReportQueryDto,
  ): Promise<{ csv: string; discrepancies: Discrepancies | null }> {
    const courier = this.sandboxCourier(code);
    const [from, to] = [instantOf(q.from), windowEndOf(q.to)];
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from)
      throw new ValidationFailedError([
        { field: 'to', message: 'must be a real date or instant after from' },
      ]);
    if (to.getTime() - from.getTime() > 366 * 86_400_000)
      throw new ValidationFailedError([{ field: 'to', message: 'is more than 366 days after from' }]);
    const now = this.clock.now();
    const parcels = await this.repository.deliveredCod(courier, from, to, now);
    const seed = q.discrepancies && q.discrepancies !== 'false' ? q.discrepancies : null;
    return remittanceReport(courier, parcels, { from, to }, this.world.seed, seed, wibDate(now));
  }

  /** The parcel, if `caller` may drive it: another seller's parcel is not found, like an unknown one. */
  private async parcel(caller: Principal, awb: string) {
    const parcel = await this.repository.findAnyCourier(awb);
    if (!parcel || !(await this.mayDrive(caller, parcel.courier, awb)))
      throw new NotFoundError('SANDBOX_PARCEL_NOT_FOUND', `No sandbox parcel ${awb}`);
    return parcel;
  }

  private async mayDrive(caller: Principal, courier: CourierCode, awb: string): Promise<boolean> {
    if (caller.role === 'admin') return true;
    if (!caller.sellerId) return false;
    // Implemented by shipments, found at run time: couriers may not import the module that owns AWBs.
    const ownership = this.moduleRef.get(ParcelOwnership, { strict: false });
    return ownership.owns(caller.sellerId, courier, awb);
  }

  /** @throws NotFoundError SANDBOX_PARCEL_NOT_FOUND (unknown, or not the caller's) */
  async advance(caller: Principal, awb: string, dto: AdvanceDto): Promise<SandboxParcelDto> {
    const parcel = await this.parcel(caller, awb);
    const to = dto.to === 'returning' ? 'returning_to_sender' : dto.to;
    const reason =
      dto.reason ??
      (to === 'delivery_failed'
        ? 'consignee_absent'
        : to === 'returning_to_sender'
          ? 'rts_initiated'
          : undefined);
    return view(parcel.courier, awb, await this.world.advance(parcel, to, reason));
  }

  /**
   * @throws NotFoundError SANDBOX_PARCEL_NOT_FOUND (unknown, or not the caller's)
   * @throws InvalidStateError SANDBOX_PARCEL_PICKED_UP for a pickup script on a parcel already handed over
   */
  async script(caller: Principal, awb: string, script: Script): Promise<SandboxParcelDto> {
    const parcel = await this.parcel(caller, awb);
    if (PICKUP_SCRIPTS.has(script) && isPickedUp(this.world.happened(parcel))) {
      throw new InvalidStateError(
        'SANDBOX_PARCEL_PICKED_UP',
        `Parcel ${awb} has been picked up; ${script} only applies before pickup`,
      );
    }
    return view(parcel.courier, awb, await this.world.script(parcel, script));
  }

  /** Moves the service clock (every instance's, through PostgreSQL) and the sandboxes' with it. */
  async advanceClock(hours: number): Promise<{ now: string }> {
    const ms = Math.round(hours * 3600_000);
    const shared = await this.repository.advanceClock(ms);
    if (this.clock instanceof MovableClock) this.clock.setOffset(shared.offsetMs, shared.steppedFromMs);
    else if (typeof (this.clock as Clock & { advance?: (ms: number) => void }).advance === 'function') {
      (this.clock as Clock & { advance: (ms: number) => void }).advance(ms); // a test's FakeClock
    }
    return { now: this.clock.now().toISOString() };
  }

  /** Starts this instance's clock as SANDBOX_CLOCK says (running with real time, or stepped). */
  async startClock(): Promise<void> {
    if (!(this.clock instanceof MovableClock)) return;
    const { sandboxClock: mode, sandboxClockStartMs: startMs } = this.config.couriers;
    // A stepped clock never started may start at a set instant (SANDBOX_CLOCK_START), so a run's calendar
    // is the same whenever it is made; one already started keeps its own time.
    const now = Date.now();
    const shared = await this.repository.startClock(mode, now, startMs ?? now);
    this.clock.setOffset(shared.offsetMs, shared.steppedFromMs);
  }

  /** Picks up the clock another instance moved. */
  async syncClock(): Promise<void> {
    if (!(this.clock instanceof MovableClock)) return;
    const shared = await this.repository.clock();
    this.clock.setOffset(shared.offsetMs, shared.steppedFromMs);
  }
}
