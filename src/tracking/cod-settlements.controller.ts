import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { IdParam } from 'src/common/id-param';
import { ApiErrors } from 'src/common/openapi';
import { CodSettlements } from './cod-settlements.service';
import { CodSettlementDto, SettleCodDiscrepancyDto } from './tracking.dto';

/** Finance settles the COD discrepancies GET /v1/ops/cod-discrepancies lists as `taken_back`. */
@ApiTags('money')
@ApiBearerAuth()
@Roles('finance', 'admin')
@Controller('v1/finance/cod-discrepancies')
export class CodSettlementsController {
  constructor(private readonly settlements: CodSettlements) {}

  @Post(':id/settle')
  @HttpCode(200)
  @ApiErrors(404, 409, 422)
  @ApiOperation({
    summary:
      'Settle a COD delivery its courier took back (`:id` the shipment): release its withheld credit, or reverse it',
    description:
      'For a shipment listed as `taken_back` by GET /v1/ops/cod-discrepancies (an open delivery_contradicted ' +
      'alert). In one transaction: the money moves as `decision` says, the alert is resolved (the seller gets ' +
      '`shipment.at_risk` with `resolvedAt`), and the settlement is kept with its reason. Once per COD credit (a ' +
      'parcel reversed, delivered again and taken back again is settled again, that second credit): the ' +
      'same decision again (a retry, or another finance user at once) answers the settlement recorded, posting ' +
      'nothing, so no Idempotency-Key is needed; the other one is 409 ' +
      'COD_SETTLEMENT_ALREADY_SETTLED. 409 COD_SETTLEMENT_NOT_TAKEN_BACK without an open alert, ' +
      'COD_SETTLEMENT_NO_CREDIT when its delivery credited no COD cash; 422 COD_SETTLEMENT_REVERSAL_UNCOVERED ' +
      'when reversing would take the seller’s available below zero (the cash withdrawn): nothing is posted. A ' +
      'courier remittance line for a reversed parcel settles nothing: it is unmatched (`cod_reversed`), its ' +
      'cash in remittance suspense.',
  })
  @ApiOkResponse({ type: CodSettlementDto })
  settle(
    @CurrentPrincipal() caller: Principal,
    @IdParam() id: string,
    @Body() body: SettleCodDiscrepancyDto,
  ): Promise<CodSettlementDto> {
    return this.settlements.settle(id, body, caller.userId);
  }
}
