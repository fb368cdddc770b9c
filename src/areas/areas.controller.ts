import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AnyCaller } from 'src/common/auth/decorators';
import { AreaListDto, AreaSearchQueryDto } from './areas.dto';
import { AreasService } from './areas.service';

@ApiTags('areas')
@ApiBearerAuth()
@AnyCaller()
@Controller('v1/areas')
export class AreasController {
  constructor(private readonly areas: AreasService) {}

  /** Any signed-in user or API key: the directory is public data, but searching it is a service we meter. */
  @Get()
  @ApiOkResponse({ type: AreaListDto })
  async search(@Query() query: AreaSearchQueryDto): Promise<AreaListDto> {
    return { items: await this.areas.search(query.q, query.limit) };
  }
}
