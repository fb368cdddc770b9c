import type { CourierAdapter, CourierServiceInfo } from '../../courier-adapter';

/** Placeholder until the jne adapter lands (issue #3); every call fails loudly. */
export class JneAdapter implements CourierAdapter {
  readonly code = 'jne' as const;

  constructor(
    readonly name: string,
    _account: Record<string, string>,
    private readonly catalogue: CourierServiceInfo[],
    _webhookMaxAgeSeconds: number
  ) {}

  services(): CourierServiceInfo[] {
    return this.catalogue;
  }

  private missing(): never {
    throw new Error('jne adapter not implemented yet');
  }

  quote = () => this.missing();
  createOrder = () => this.missing();
  requestPickup = () => this.missing();
  cancel = () => this.missing();
  track = () => this.missing();
  parseWebhook = () => this.missing();
  findByReference = () => this.missing();
}
