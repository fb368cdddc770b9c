import { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { PUBLIC_KEY } from './auth/decorators';
import { FORBIDDEN_KEYS, unknownFields } from './validation-fast-path';

/**
 * A route that declares no query parameters refuses any it is sent (400 naming each), as routes with a
 * query DTO refuse unknown ones: `GET /v1/balance?limit=-1` answered as if nothing were asked. Public
 * routes keep taking them (couriers' pushes and health probes may carry parameters of their own), but
 * for `__proto__`, `constructor` and `prototype`, which no route takes.
 */
export class UndeclaredQueryInterceptor implements NestInterceptor {
  /** Per handler: whether it reads the query (a @Query parameter, or the whole request). */
  private readonly readsQuery = new WeakMap<object, boolean>();

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const query = context.switchToHttp().getRequest<FastifyRequest>().query;
      const names = query && typeof query === 'object' ? Object.keys(query) : [];
      if (names.length) {
        // `__proto__` and its kin would be dropped unsaid by the query DTO's transform: refused by name.
        const refused = this.takesQuery(context) ? names.filter((n) => FORBIDDEN_KEYS.has(n)) : names;
        if (refused.length) throw unknownFields(refused);
      }
    }
    return next.handle();
  }

  private takesQuery(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let reads = this.readsQuery.get(handler);
    if (reads === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ??
        {}) as object;
      const declared = Object.keys(args).some(
        (key) => key.startsWith(`${RouteParamtypes.QUERY}:`) || key.startsWith(`${RouteParamtypes.REQUEST}:`),
      );
      reads =
        declared ||
        this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [handler, context.getClass()]) === true;
      this.readsQuery.set(handler, reads);
    }
    return reads;
  }
}
