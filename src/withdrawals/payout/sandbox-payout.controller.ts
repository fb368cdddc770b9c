import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, SandboxOperatorAllowed } from 'src/common/auth/decorators';
import { PayoutFaultsDto, PayoutFaultsOutDto } from '../withdrawals.dto';
import { SandboxPayoutServer } from './sandbox-payout.server';

/** Exists only while payouts go to the sandbox provider (no PAYOUT_PROVIDER_URL): its faults (operators). */
@ApiTags('sandbox')
@ApiBearerAuth()
@ApiHeader({
  name: 'X-Sandbox-Operator-Token',
  required: false,
  description: 'Instead of a bearer token: the configured SANDBOX_OPERATOR_TOKEN (acts as admin)',
})
@SandboxOperatorAllowed()
@Roles('admin')
@Controller('sandbox/payouts')
export class SandboxPayoutController {
  constructor(private readonly sandbox: SandboxPayoutServer) {}

  @Post('faults')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make the sandbox disbursement provider fail, bounce, not answer or answer slowly (operators)',
  })
  @ApiOkResponse({ type: PayoutFaultsOutDto })
  faults(@Body() body: PayoutFaultsDto): Promise<PayoutFaultsOutDto> {
    return this.sandbox.setFaults(body);
  }
}
