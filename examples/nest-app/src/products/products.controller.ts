import {
  CacheEvict,
  CacheInterceptor,
  CacheTags,
  CacheTTL,
  HttpCacheInterceptor,
} from '@momento-http/nestjs';
import {
  Body,
  Controller,
  ExecutionContext,
  Get,
  Headers,
  Param,
  ParseIntPipe,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { ProductsService } from './products.service.js';

const productTags = (context: ExecutionContext) => [
  'products',
  `product:${context.switchToHttp().getRequest().params.id}`,
];

@Controller()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get('products')
  @UseInterceptors(HttpCacheInterceptor)
  @CacheTags('products')
  list() {
    return this.products.list();
  }

  @Get('products/:id')
  @UseInterceptors(HttpCacheInterceptor)
  @CacheTags(productTags)
  get(@Param('id', ParseIntPipe) id: number) {
    return this.products.get(id);
  }

  @Get('products/:id/summary')
  summary(@Param('id', ParseIntPipe) id: number) {
    return this.products.summary(id);
  }

  @Post('products/:id/price')
  @CacheEvict({ tags: productTags, keys: ['stats', '/stats'] })
  setPrice(@Param('id', ParseIntPipe) id: number, @Body() body: { price: number }) {
    return this.products.setPrice(id, Number(body.price));
  }

  @Get('stats')
  @UseInterceptors(CacheInterceptor)
  @CacheTTL(5000)
  stats() {
    return this.products.stats();
  }

  @Get('me')
  @UseInterceptors(HttpCacheInterceptor)
  @CacheTTL(60_000)
  me(@Headers('authorization') authorization?: string) {
    return { user: authorization ? 'signed in' : 'anonymous', at: new Date().toISOString() };
  }
}
