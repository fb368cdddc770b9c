import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY } from 'src/common/auth/decorators';
import { Role } from 'src/common/auth/principal';
import { ForbiddenError, UnauthenticatedError } from 'src/common/errors/app-error';
import { ApiKeysService } from './api-keys.service';
import { InvalidTokenError } from './auth.errors';
import { AuthService } from './auth.service';

/** Resolves `Authorization: Bearer <jwt>` or `X-Api-Key` to a principal on every non-public route. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const authorization = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];
    if (typeof authorization === 'string' && authorization.length) {
      const [scheme, token] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) throw new InvalidTokenError();
      request.principal = await this.auth.authenticateToken(token);
    } else if (typeof apiKey === 'string' && apiKey.length) {
      const principal = await this.apiKeys.authenticate(apiKey);
      if (!principal) throw new InvalidTokenError();
      request.principal = principal;
    } else {
      throw new UnauthenticatedError();
    }
    return true;
  }
}

/** Checks @Roles(...) after authentication; routes without @Roles accept any authenticated caller. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!roles) return true;
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal || !roles.includes(principal.role)) throw new ForbiddenError();
    return true;
  }
}
