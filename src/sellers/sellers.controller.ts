import { Body, Controller, Get, Patch, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  CurrentPrincipal,
  CurrentSeller,
  Public,
  Roles,
  SELLER_ROLES,
  AnyCaller,
} from 'src/common/auth/decorators';
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
  @ApiOperation({
    summary: 'Create a seller and its owner; returns an access token (rate limited per address)',
  })
  @ApiCreatedResponse({ type: SignupResultDto })
  @ApiTooManyRequestsResponse({ description: 'Too many signups from this address; see Retry-After' })
  signup(@Body() body: SignupDto, @Req() request: FastifyRequest): Promise<SignupResultDto> {
    return this.sellers.signup(body, request.ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @AnyCaller()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.sellers.me(principal);
  }

  @Get('settings')
  @ApiBearerAuth()
  @Roles(...SELLER_ROLES)
  @ApiOperation({ summary: 'The settings; the webhook secret itself only for the owner' })
  @ApiOkResponse({ type: SettingsDto })
  settings(@CurrentSeller() sellerId: string, @CurrentPrincipal() me: Principal): Promise<SettingsDto> {
    return this.sellers.settingsFor(sellerId, me.role);
  }

  @Patch('settings')
  @ApiErrors(422, 429)
  @ApiBearerAuth()
  @Roles('seller_owner')
  @ApiOperation({
    summary: 'Change scoring preset, webhook URL (generates its secret) or lost margin per failure',
  })
  @ApiOkResponse({ type: SettingsDto })
  updateSettings(
    @CurrentSeller() sellerId: string,
    @CurrentPrincipal() me: Principal,
    @Body() body: UpdateSettingsDto,
  ): Promise<SettingsDto> {
    return this.sellers.updateSettings(sellerId, me, body);
  }
}
