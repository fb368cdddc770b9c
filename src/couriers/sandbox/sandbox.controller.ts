import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdvanceDto, ClockDto, ClockDtoOut, FaultsDto, SandboxParcelDto, ScriptDto } from './sandbox.dto';
import { SandboxControl } from './sandbox-control.service';

/** Exists only in sandbox mode (a courier without credentials). Any authenticated caller may drive it. */
@ApiTags('sandbox')
@ApiBearerAuth()
@Controller('sandbox')
export class SandboxController {
  constructor(private readonly control: SandboxControl) {}

  @Post('couriers/:code/faults')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a sandbox courier slow, unanswering or failing' })
  faults(@Param('code') code: string, @Body() body: FaultsDto) {
    return this.control.setFaults(code, body);
  }

  @Post('parcels/:awb/advance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a parcel to a status now; the courier records it in its own vocabulary' })
  @ApiOkResponse({ type: SandboxParcelDto })
  advance(@Param('awb') awb: string, @Body() body: AdvanceDto): Promise<SandboxParcelDto> {
    return this.control.advance(awb, body);
  }

  @Post('parcels/:awb/script')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace a parcel’s future with a scripted journey (two hours a step)' })
  @ApiOkResponse({ type: SandboxParcelDto })
  script(@Param('awb') awb: string, @Body() body: ScriptDto): Promise<SandboxParcelDto> {
    return this.control.script(awb, body.script);
  }

  @Post('clock')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the service clock (and the sandboxes’) forward' })
  @ApiOkResponse({ type: ClockDtoOut })
  clock(@Body() body: ClockDto): Promise<{ now: string }> {
    return this.control.advanceClock(body.advanceHours);
  }
}
