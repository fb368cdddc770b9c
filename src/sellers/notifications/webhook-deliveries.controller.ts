import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import { ApiErrors } from 'src/common/openapi';
import { Page, PageDto } from 'src/common/pagination';
import { NoBody } from 'src/common/validation-fast-path';
import {
  ListWebhookDeliveriesQueryDto,
  WebhookDeliveryDto,
  WebhookTestResultDto,
} from './webhook-deliveries.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

/** How a receiver checks a Kirim webhook (also in the README's "Seller webhooks"). */
const VERIFYING = `Every webhook is a POST of JSON \`{ id, type, createdAt, data }\` with the header
\`X-Kirim-Signature: t=<unix seconds>,v1=<hex>\`, where the hex is HMAC-SHA256, keyed with your webhook secret
(\`whsec_…\`, the whole text as UTF-8), of \`<t>.<body>\`: the t value, a dot, and the body's raw bytes as received.
To verify: compute it over the raw body (before parsing the JSON), compare in constant time with each \`v1\`,
and refuse a \`t\` more than 300 seconds from your clock (a replay). A retry sends the same body (same \`id\`:
drop duplicates by it) with a fresh \`t\`. Answer 2xx within the timeout (10 s by default); anything else is
retried with backoff for 24 hours.`;

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1')
@Roles(...SELLER_ROLES)
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Get('webhook-deliveries')
  @ApiOperation({ summary: 'Webhooks sent to your webhookUrl and how each went, newest first' })
  @ApiOkResponse({ type: PageDto(WebhookDeliveryDto) })
  list(
    @CurrentSeller() sellerId: string,
    @Query() query: ListWebhookDeliveriesQueryDto,
  ): Promise<Page<WebhookDeliveryDto>> {
    return this.deliveries.list(sellerId, query);
  }

  @Post('webhook-deliveries/:id/retry')
  @HttpCode(200)
  @ApiErrors(409)
  @ApiOperation({
    summary:
      'Send a pending or failed webhook again now (a new 24-hour retry window); a delivered one is 409',
  })
  @ApiOkResponse({ type: WebhookDeliveryDto })
  retry(
    @CurrentSeller() sellerId: string,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<WebhookDeliveryDto> {
    return this.deliveries.retry(sellerId, id);
  }

  @Post('settings/webhook/test')
  @HttpCode(200)
  @ApiErrors(422, 429)
  @ApiOperation({
    summary: 'Send a signed webhook.test event to your webhookUrl now and answer how it went',
    description: `Tried once (listed in GET /v1/webhook-deliveries; retry it by id). With no webhookUrl set: 422 naming it. One test at a time, five a minute: more is 429 with Retry-After.\n\n${VERIFYING}`,
  })
  @ApiOkResponse({ type: WebhookTestResultDto })
  test(@CurrentSeller() sellerId: string, @NoBody() _body?: undefined): Promise<WebhookTestResultDto> {
    return this.deliveries.sendTest(sellerId);
  }
}
