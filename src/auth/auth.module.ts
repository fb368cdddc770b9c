import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from 'config';
import { createSecretKey } from 'node:crypto';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthRevocations } from './auth-revocations';
import { AuthService } from './auth.service';
import { resolveJwtSecret } from 'src/common/jwt-secret';
import { EndedSessionsRepository } from './ended-sessions.repository';
import { LoginCountersCleanupJob } from './login-counters-cleanup.job';
import { LoginThrottleRepository } from './login-throttle.repository';
import { PasswordHasher } from './password';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not a string: given a string, jsonwebtoken first tries (and fails) to parse it as a
        // public key on every sign and verify, which cost a quarter of a request's CPU.
        secret: createSecretKey(Buffer.from(resolveJwtSecret(config))) as unknown as Buffer,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, UsersController, ApiKeysController],
  providers: [
    AuthService,
    AuthRevocations,
    UsersService,
    ApiKeysService,
    PasswordHasher,
    LoginThrottleRepository,
    EndedSessionsRepository,
    LoginCountersCleanupJob,
    // One guard, every route's, also asked before a large upload's body is read (authenticateLargeUploads).
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
  ],
  exports: [AuthService, UsersService, ApiKeysService],
})
export class AuthModule {}
