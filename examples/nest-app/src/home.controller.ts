import { Controller, Get, Header } from '@nestjs/common';

@Controller()
export class HomeController {
  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  index(): string {
    return [
      'nest-app: @momento-http/nestjs',
      '',
      'GET  /products            whole response cached (HttpCacheInterceptor), tag "products"',
      'GET  /products/:id        cached per product, tags "products" and "product:<id>"',
      'POST /products/:id/price  {"price": 12.5} updates and invalidates the tags (@CacheEvict)',
      'GET  /stats               stock CacheInterceptor, @CacheTTL(5000)',
      'GET  /me                  cached per user (Authorization header)',
      '',
      'Watch the X-Cache header: curl -si localhost:3001/products | grep -i x-cache',
    ].join('\n');
  }
}
