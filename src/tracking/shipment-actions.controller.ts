import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { IdParam } from 'src/common/id-param';
import { Idempotent } from 'src/common/idempotency/idempotency.interceptor';
import { ApiErrors } from 'src/common/openapi';
import { CreateShipmentActionDto, ShipmentActionDto } from './shipment-actions.dto';
import { ShipmentActionsService } from './shipment-actions.service';

@ApiTags('shipments')
@ApiBearerAuth()
@Controller('v1/shipments')
@Roles(...SELLER_ROLES)
export class ShipmentActionsController {
  constructor(private readonly actions: ShipmentActionsService) {}

  @Post(':id/actions')
  @HttpCode(202)
  // The courier is asked during the request: no transaction is held across the call.
  @Idempotent({ outsideTransaction: { leaseSeconds: (c) => c.business.sellerActions.claimSeconds } })
  @ApiErrors(404, 409, 422, 503)
  @ApiOperation({
    summary: 'Ask the courier to re-attempt, return, deliver to a corrected address, or hold a parcel',
    description:
      'Allowed only where the shipment’s status makes sense for the action (422 SHIPMENTS_ACTION_NOT_ALLOWED ' +
      'otherwise, nothing recorded). Sent to the courier at once: `sent` when it took it, `manual` when its API ' +
      'has no such call (Kirim operations arrange it). A courier refusal is recorded `failed` and answered 422 ' +
      'SHIPMENTS_ACTION_REFUSED_BY_COURIER with its words; an unreachable courier is recorded `failed` and ' +
      'answered 503 (ask again), and so is one whose answer was lost (`errorKind` answer_lost: it may have ' +
      'taken it, check the shipment first). One action per shipment at a time (409 SHIPMENTS_ACTION_IN_PROGRESS). ' +
      'An instruction the courier already has for this booking (a re-attempt for the failed attempt one already ' +
      'answers, a second return, a second hold, also after a hold whose answer was lost) is 409 ' +
      'SHIPMENTS_ACTION_ALREADY_TAKEN, nothing recorded; but a return whose answer was lost may be asked again ' +
      '(`returnUnconfirmed` names it): a courier that took it refuses the second, one that never had it takes it; ' +
      'once a return was asked, a hold, a re-attempt or an ' +
      'address correction is 422 SHIPMENTS_ACTION_NOT_ALLOWED saying when, nothing recorded; before ' +
      'refusing a re-attempt so, Kirim asks the courier for the parcel’s latest news, and a failed attempt not ' +
      'polled yet is answered; the courier is asked once every five minutes per shipment at most, and only when ' +
      'its request budget has room at once (otherwise the answer rests on what Kirim knows). An address ' +
      'correction taken by a courier whose booking was replaced meanwhile (the shipment re-booked with another) is ' +
      'recorded `failed` and answered 409 SHIPMENTS_ACTION_SUPERSEDED: the recipient is unchanged, ask again. A ' +
      'correction the booked courier cannot be sent (J&T, SAP and ID Express take a district by their own ' +
      'location code: no district given, or one it has no code for) is 422 SHIPMENTS_ADDRESS_NOT_MAPPED naming ' +
      '`address.district`, nothing recorded.',
  })
  @ApiAcceptedResponse({ type: ShipmentActionDto })
  request(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() principal: Principal,
    @IdParam() id: string,
    @Body() body: CreateShipmentActionDto,
  ): Promise<ShipmentActionDto> {
    return this.actions.request(sellerId, id, body, principal);
  }
}
