import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiOkResponse, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from 'src/common/auth/decorators';
import { RAW_BODY_KEPT, rawBodyOf } from 'src/common/http-edge';
import { ApiErrors } from 'src/common/openapi';
import { PushAcceptedDto } from './tracking.dto';
import { CourierWebhooks } from './courier-webhooks.service';

@ApiTags('tracking')
@Controller('v1/webhooks/couriers')
@Public()
export class CourierWebhooksController {
  constructor(private readonly webhooks: CourierWebhooks) {}

  @Post(':code')
  @HttpCode(200)
  @RouteConfig(RAW_BODY_KEPT)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiOperation({
    summary: 'A courier pushes tracking events (verified with that courier’s own signing scheme)',
    description:
      'Answered as soon as the push is stored; its events are applied asynchronously, each stored once. ' +
      'Unsigned, forged or replayed pushes (outside the courier’s time window) are refused with 401 and nothing is stored. ' +
      'A signed push that holds what the courier does not send (not its JSON, a field missing or of another type, an ' +
      'overlong text, over 1,000 events) is refused with 400 COURIER_WEBHOOK_MALFORMED naming the field, nothing stored.',
  })
  @ApiOkResponse({ type: PushAcceptedDto })
  @ApiErrors(400, 401, 404)
  receive(@Param('code') code: string, @Req() request: FastifyRequest): Promise<PushAcceptedDto> {
    return this.webhooks.receive(code, request.headers, rawBodyOf(request));
  }
}
