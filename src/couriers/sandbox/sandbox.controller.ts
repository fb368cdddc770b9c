import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, SandboxOperatorAllowed, SELLER_ROLES } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import {
  AdvanceDto,
  ClockDto,
  ClockDtoOut,
  FaultsDto,
  RemittanceReportQueryDto,
  SandboxParcelDto,
  ScriptDto,
} from './sandbox.dto';
import { discrepancyHeader } from './sandbox-remittance';
import { SandboxControl } from './sandbox-control.service';

/**
 * Exists only in sandbox mode (a courier without credentials). Faults and the clock are operator controls
 * (admin, or the sandbox operator token); a seller may drive its own parcels only.
 */
@ApiTags('sandbox')
@ApiBearerAuth()
@ApiHeader({
  name: 'X-Sandbox-Operator-Token',
  required: false,
  description: 'Instead of a bearer token: the configured SANDBOX_OPERATOR_TOKEN (acts as admin)',
})
@SandboxOperatorAllowed()
@Controller('sandbox')
export class SandboxController {
  constructor(private readonly control: SandboxControl) {}

  @Post('couriers/:code/faults')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Make a sandbox courier slow, unanswering or failing (operators)' })
  @ApiOkResponse({ description: 'The courier’s faults as they now are' })
  faults(@Param('code') code: string, @Body() body: FaultsDto) {
    return this.control.setFaults(code, body);
  }

  @Get('couriers/:code/remittance')
  @Roles('admin')
  @ApiOperation({
    summary:
      'The courier’s COD remittance report (CSV, in its own wording) for parcels delivered in [from, to)',
    description:
      'Remitted 1–3 days after delivery. With `discrepancies`, seeded mistakes named in the ' +
      '`X-Sandbox-Discrepancies` header (`missing=…;wrong_amount=…;duplicate=…;unknown=…`).',
  })
  @ApiOkResponse({
    description: 'CSV: a header row, then one line per parcel',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: {
      'X-Sandbox-Discrepancies': {
        description: 'With `discrepancies`: the AWBs got wrong on purpose',
        schema: { type: 'string', example: 'missing=88…;wrong_amount=88…;duplicate=88…;unknown=889…' },
      },
    },
  })
  async remittance(
    @Param('code') code: string,
    @Query() q: RemittanceReportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const report = await this.control.remittanceReport(code, q);
    void reply.header('content-type', 'text/csv; charset=utf-8');
    if (report.discrepancies)
      void reply.header('x-sandbox-discrepancies', discrepancyHeader(report.discrepancies));
    return report.csv;
  }

  @Post('parcels/:awb/advance')
  @HttpCode(200)
  @Roles(...SELLER_ROLES, 'admin')
  @ApiOperation({
    summary: 'Move a parcel to a status now; the courier records it in its own vocabulary',
    description: "A seller may drive its own shipments' parcels only; another's answers 404.",
  })
  @ApiOkResponse({ type: SandboxParcelDto })
  advance(
    @CurrentPrincipal() caller: Principal,
    @Param('awb') awb: string,
    @Body() body: AdvanceDto,
  ): Promise<SandboxParcelDto> {
    return this.control.advance(caller, awb, body);
  }

  @Post('parcels/:awb/script')
  @HttpCode(200)
  @Roles(...SELLER_ROLES, 'admin')
  @ApiOperation({
    summary: 'Replace a parcel’s future with a scripted journey (two hours a step)',
    description: "A seller may drive its own shipments' parcels only; another's answers 404.",
  })
  @ApiOkResponse({ type: SandboxParcelDto })
  script(
    @CurrentPrincipal() caller: Principal,
    @Param('awb') awb: string,
    @Body() body: ScriptDto,
  ): Promise<SandboxParcelDto> {
    return this.control.script(caller, awb, body.script);
  }

  @Post('clock')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Move the service clock (and the sandboxes’) forward (operators)' })
  @ApiOkResponse({ type: ClockDtoOut })
  clock(@Body() body: ClockDto): Promise<{ now: string }> {
    return this.control.advanceClock(body.advanceHours);
  }
}
