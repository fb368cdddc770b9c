import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Public } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { AccessTokenDto, ChangePasswordDto, LoginDto, LogoutDto } from './auth.dto';
import { NotASessionError } from './auth.errors';
import { AccessToken, AuthService } from './auth.service';
import { ApiErrors } from 'src/common/openapi';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @ApiErrors(401)
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with email and password (rate limited)' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts; see Retry-After' })
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<AccessToken> {
    return this.auth.login(body.email, body.password, request.ip);
  }

  @Post('logout')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiErrors(422)
  @ApiOperation({
    summary: 'Log out: this access token stops working; with {"everywhere": true} every token of the person',
    description:
      'A token issued before sessions had ids ends every session. With an API key: 422 (a key is no session; revoke it with DELETE /v1/api-keys/:id).',
  })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() principal: Principal, @Body() body: LogoutDto): Promise<void> {
    if (principal.kind !== 'user') throw new NotASessionError();
    await this.auth.logout(principal, body.everywhere === true);
  }

  @Post('password')
  @ApiBearerAuth()
  @HttpCode(200)
  @ApiErrors(422, 429)
  @ApiOperation({
    summary: 'Change your password; every other session ends, and the answer is your new token',
    description:
      "A wrong currentPassword is 422 naming it, and counts against the account's failed logins (429 after LOGIN_RATE_LIMIT_PER_ACCOUNT).",
  })
  @ApiOkResponse({ type: AccessTokenDto })
  changePassword(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ChangePasswordDto,
  ): Promise<AccessToken> {
    if (principal.kind !== 'user') throw new NotASessionError();
    return this.auth.changePassword(principal.userId, body.currentPassword, body.newPassword);
  }
}
