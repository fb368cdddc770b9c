import { FastifyInstance, FastifyReply } from 'fastify';
import { CourierSandbox, SandboxPush } from './courier-sandbox';

/** Placeholder until the idexpress sandbox lands (issue #3). */
export class IdExpressSandbox extends CourierSandbox {
  readonly code = 'idexpress' as const;

  account() {
    return {};
  }

  protected serverError(reply: FastifyReply) {
    return reply.code(500).send({});
  }

  protected routes(_app: FastifyInstance): void {}

  async webhookFor(_awb: string): Promise<SandboxPush | null> {
    return null;
  }
}
