import type { CourierAdapter, CourierServiceInfo } from '../../courier-adapter';

/** Placeholder until the jnt adapter lands (issue #3); every call fails loudly. */
export class JntAdapter implements CourierAdapter {
  readonly code = 'jnt' as const;

  constructor(
    readonly name: string,
    _account: Record<string, string>,
    private readonly catalogue: CourierServiceInfo[],
    _webhookMaxAgeSeconds: number,
    _locations: unknown,
  ) {}

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  private missing(): never {
    throw new Error('jnt adapter not implemented yet');
  }

  quote = () => this.missing();
  createOrder = () => this.missing();
  requestPickup = () => this.missing();
  cancel = () => this.missing();
  track = () => this.missing();
  parseWebhook = () => this.missing();
  findByReference = () => this.missing();
}
