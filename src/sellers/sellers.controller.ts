import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentSeller, Public, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { MeDto, SettingsDto, SignupDto, SignupResultDto, UpdateSettingsDto } from './sellers.dto';
import { SellersService } from './sellers.service';
import { ApiErrors } from 'src/common/openapi';

@ApiTags('sellers')
@Controller('v1')
export class SellersController {
  constructor(private readonly sellers: SellersService) {}

  @Post('auth/signup')
  @ApiErrors(409)
  @Public()
  @ApiOperation({ summary: 'Create a seller and its owner; returns an access token' })
  @ApiCreatedResponse({ type: SignupResultDto })
  signup(@Body() body: SignupDto): Promise<SignupResultDto> {
    return this.sellers.signup(body);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.sellers.me(principal);
  }

  @Get('settings')
  @ApiBearerAuth()
  @Roles(...SELLER_ROLES)
  @ApiOkResponse({ type: SettingsDto })
  settings(@CurrentSeller() sellerId: string): Promise<SettingsDto> {
    return this.sellers.settings(sellerId);
  }

  @Patch('settings')
  @ApiBearerAuth()
  @Roles('seller_owner')
  @ApiOperation({
    summary: 'Change scoring preset, webhook URL (generates its secret) or lost margin per failure',
  })
  @ApiOkResponse({ type: SettingsDto })
  updateSettings(@CurrentSeller() sellerId: string, @Body() body: UpdateSettingsDto): Promise<SettingsDto> {
    return this.sellers.updateSettings(sellerId, body);
  }
}
