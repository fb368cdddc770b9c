import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from 'config';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from 'src/common/auth/bearer';
import { SecretDigest } from 'src/common/auth/secret-digest';
import {
  AuthenticatedRequest,
  PUBLIC_KEY,
  ROLES_KEY,
  SANDBOX_OPERATOR_HEADER,
  SANDBOX_OPERATOR_KEY,
} from 'src/common/auth/decorators';
import { Principal, Role } from 'src/common/auth/principal';
import { ForbiddenError, UnauthenticatedError } from 'src/common/errors/app-error';
import { ApiKeysService } from './api-keys.service';
import { AmbiguousCredentialsError, InvalidTokenError } from './auth.errors';
import { AuthService } from './auth.service';

/**
 * Resolves `Authorization: Bearer <jwt>` or `X-Api-Key` (or, on routes marked @SandboxOperatorAllowed,
 * X-Sandbox-Operator-Token; never two of them: 400) to a principal on every non-public route, then checks
 * @Roles(...) (routes without it accept any authenticated caller). One guard for both: every
 * request passes it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** SANDBOX_OPERATOR_TOKEN, when set. */
  private readonly operatorSecret: SecretDigest | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
    config: AppConfig,
  ) {
    const token = config.couriers.sandboxOperatorToken;
    this.operatorSecret = token ? new SecretDigest(token) : null;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // A large upload's credential was checked before its body was read (authenticateLargeUploads), and
    // is checked again: the session could have ended, or the key been revoked, while the body arrived.
    const principal = await this.principalOf(
      request,
      () => this.reflector.getAllAndOverride<boolean>(SANDBOX_OPERATOR_KEY, targets) ?? false,
    );
    request.principal = principal;
    this.admit(principal, this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets));
    return true;
  }

  /**
   * Lets `principal` in where `roles` (a route's @Roles) are let in; routes without them take any caller.
   * @throws ForbiddenError (AUTH_FORBIDDEN) for another role
   */
  admit(principal: Principal, roles: readonly Role[] | undefined): void {
    if (roles && !roles.includes(principal.role)) throw new ForbiddenError();
  }

  /**
   * The caller its credential names: a bearer token, an API key or (where `operatorAllowed`) the sandbox
   * operator's token, never two of them.
   * @throws UnauthenticatedError (none), InvalidTokenError (a bad one), AmbiguousCredentialsError (two)
   */
  async principalOf(request: FastifyRequest, operatorAllowed: () => boolean): Promise<Principal> {
    // Node keeps the first of several Authorization headers and drops the rest: which one a proxy or a
    // client meant is unknown, so none is taken.
    const authorizations = countHeader(request.raw.rawHeaders, 'authorization');
    if (authorizations > 1)
      throw new AmbiguousCredentialsError(Array<string>(authorizations).fill('Authorization'));
    const authorization = present(request.headers.authorization);
    const apiKey = present(request.headers['x-api-key']);
    const offered = present(request.headers[SANDBOX_OPERATOR_HEADER]);
    const operatorToken = offered !== undefined && operatorAllowed() ? offered : undefined;
    // Two credentials may name different callers: picking one silently would hide the mistake.
    const sent = [authorization, apiKey, operatorToken];
    if (sent.filter((v) => v !== undefined).length > 1)
      throw new AmbiguousCredentialsError(CREDENTIAL_HEADERS.filter((_, i) => sent[i] !== undefined));
    if (authorization !== undefined) {
      const token = bearerToken(authorization);
      if (!token) throw new InvalidTokenError();
      return this.auth.authenticateToken(token);
    }
    if (apiKey !== undefined) {
      const principal = await this.apiKeys.authenticate(apiKey);
      if (!principal) throw new InvalidTokenError();
      return principal;
    }
    if (operatorToken !== undefined) {
      if (!this.operatorSecret?.matches(operatorToken)) throw new InvalidTokenError();
      return { kind: 'sandbox_operator', userId: '', role: 'admin', sellerId: null };
    }
    throw new UnauthenticatedError();
  }
}

const CREDENTIAL_HEADERS = ['Authorization', 'X-Api-Key', 'X-Sandbox-Operator-Token'];

/** How often a header named `name` (lower case) arrived, from Node's raw list of names and values. */
function countHeader(raw: string[], name: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i].length === name.length && raw[i].toLowerCase() === name) n += 1;
  return n;
}

const present = (header: string | string[] | undefined) =>
  typeof header === 'string' && header.length ? header : undefined;
