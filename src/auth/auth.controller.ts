import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from 'src/common/auth/decorators';
import { AccessTokenDto, LoginDto } from './auth.dto';
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
}
