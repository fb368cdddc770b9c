import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentSeller, Roles, SELLER_ROLES } from 'src/common/auth/decorators';
import { QuoteRequestDto, QuoteResponseDto } from './quotes.dto';
import { QUOTE_RESPONSE_SCHEMA } from './quotes.schema';
import { QuotesService } from './quotes.service';
import { ApiErrors } from 'src/common/openapi';

@ApiTags('quotes')
@ApiBearerAuth()
@Controller('v1/quotes')
@Roles(...SELLER_ROLES)
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @ApiErrors(404, 422)
  @HttpCode(200)
  @RouteSchema(QUOTE_RESPONSE_SCHEMA)
  @ApiOperation({
    summary:
      'Every courier service for a parcel: price, COD fee, ETA, success rate, expected cost, score and rank',
  })
  @ApiOkResponse({ type: QuoteResponseDto })
  quote(@CurrentSeller() sellerId: string, @Body() body: QuoteRequestDto): Promise<QuoteResponseDto> {
    return this.quotes.quote(sellerId, body);
  }
}
