import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { IdParam } from 'src/common/id-param';
import { ApiErrors } from 'src/common/openapi';
import { Page, PageDto } from 'src/common/pagination';
import { NoBody } from 'src/common/validation-fast-path';
import { InboxAlertDto, ListAlertsQueryDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/alerts')
@Roles(...SELLER_ROLES)
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: 'Parcels at risk: what happened and what to do, most severe first' })
  @ApiOkResponse({ type: PageDto(InboxAlertDto) })
  list(@CurrentSeller() sellerId: string, @Query() query: ListAlertsQueryDto): Promise<Page<InboxAlertDto>> {
    return this.alerts.list(sellerId, query);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiErrors(404, 409)
  @ApiOperation({
    summary: 'Mark an alert as seen (repeating it keeps the first time)',
    description:
      'An alert that resolved before it was acknowledged is 409 ALERTS_ALREADY_RESOLVED, nothing written: ' +
      'its problem is over. One acknowledged before it resolved answers as it is.',
  })
  @ApiOkResponse({ type: InboxAlertDto })
  acknowledge(
    @CurrentSeller() sellerId: string,
    @IdParam() id: string,
    @NoBody() _body?: undefined,
  ): Promise<InboxAlertDto> {
    return this.alerts.acknowledge(sellerId, id);
  }
}
