import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiErrors } from '../openapi';
import { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors/app-error';
import { Principal, Role } from './principal';

export const PUBLIC_KEY = 'kirim:public';
export const ROLES_KEY = 'kirim:roles';

/** The route needs no credentials. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * Only these roles may call the route (checked by the roles guard after authentication). An integration's API
 * key acts as seller staff: the OpenAPI document offers it exactly where that role is let in.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiErrors(403),
    ...(roles.includes('seller_staff') ? [ApiSecurity('apiKey')] : []),
  );

/** Any signed-in caller, an integration's API key too (no role is checked): said so in the OpenAPI document. */
export const AnyCaller = () => ApiSecurity('apiKey');

export const SANDBOX_OPERATOR_KEY = 'kirim:sandbox-operator';
export const SANDBOX_OPERATOR_HEADER = 'x-sandbox-operator-token';

/**
 * The route also admits the sandbox operator token (SANDBOX_OPERATOR_TOKEN, sent as
 * X-Sandbox-Operator-Token) as an admin. For the sandbox routes only; everywhere else the header is no
 * credential.
 */
export const SandboxOperatorAllowed = () => SetMetadata(SANDBOX_OPERATOR_KEY, true);

/** Roles that act for a seller; most seller-scoped routes accept both. */
export const SELLER_ROLES: Role[] = ['seller_owner', 'seller_staff'];

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a public route');
  return principal;
});

/** The seller whose data the caller may see; every seller-scoped query filters by it. */
export const CurrentSeller = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal?.sellerId)
    throw new ForbiddenError('AUTH_NOT_A_SELLER', 'This route is for seller accounts');
  return principal.sellerId;
});
