import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

/**
 * Starts the app on PORT (default 3001). NEST_PLATFORM=fastify runs the same app on Fastify.
 * The cache is configured by MOMENTO_API_KEY, MOMENTO_ENDPOINT and MOMENTO_CACHE_NAME alone:
 * point them at the local server (`momento-http-server`) or at Momento.
 */
async function bootstrap(): Promise<void> {
  const app =
    process.env.NEST_PLATFORM === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter())
      : await NestFactory.create(AppModule);
  // onModuleDestroy hooks (the cache store's disconnect) run on SIGTERM / Ctrl-C.
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3001);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  console.log(`nest-app listening on ${await app.getUrl()}`);
}

await bootstrap();
