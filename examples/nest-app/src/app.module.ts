import { MomentoCacheModule } from '@momento-http/nestjs';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { HomeController } from './home.controller.js';
import { ProductsModule } from './products/products.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    // No client is passed: the module reads MOMENTO_API_KEY / MOMENTO_ENDPOINT itself.
    MomentoCacheModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        cacheName: config.get<string>('MOMENTO_CACHE_NAME', 'default-cache'),
        namespace: 'nest-app',
        ttl: Number(config.get('CACHE_TTL_MS', 30_000)), // milliseconds, as in cache-manager 7
        nearCache: config.get('NEAR_CACHE') === '1',
      }),
    }),
    ProductsModule,
  ],
  controllers: [HomeController],
})
export class AppModule {}
