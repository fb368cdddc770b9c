import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from 'src/common/auth/decorators';
import { Principal, Role } from 'src/common/auth/principal';
import { ForbiddenError, UnauthenticatedError } from 'src/common/errors/app-error';
import { ApiKeysService } from './api-keys.service';
import { AmbiguousCredentialsError, InvalidTokenError } from './auth.errors';
import { AuthService } from './auth.service';

/**
 * Resolves `Authorization: Bearer <jwt>` or `X-Api-Key` (never both: 400) to a principal on every
 * non-public route, then checks @Roles(...) (routes without it accept any authenticated caller). One guard for both: every
 * request passes it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const authorization = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];
    let principal: Principal | null;
    // Two credentials that may name different callers: picking one silently would hide the mistake.
    if (authorization?.length && apiKey?.length) throw new AmbiguousCredentialsError();
    if (typeof authorization === 'string' && authorization.length) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw new InvalidTokenError();
      principal = await this.auth.authenticateToken(token);
    } else if (typeof apiKey === 'string' && apiKey.length) {
      principal = await this.apiKeys.authenticate(apiKey);
      if (!principal) throw new InvalidTokenError();
    } else {
      throw new UnauthenticatedError();
    }
    request.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) throw new ForbiddenError();
    return true;
  }
}
