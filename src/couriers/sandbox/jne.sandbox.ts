import { FastifyInstance, FastifyReply } from 'fastify';
import { CourierSandbox, SandboxPush } from './courier-sandbox';

/** Placeholder until the jne sandbox lands (issue #3). */
export class JneSandbox extends CourierSandbox {
  readonly code = 'jne' as const;

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
