import 'reflect-metadata';
import { createClient } from '@momento-http/core';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

/**
 * Starts the app on PORT (default 3001). NEST_PLATFORM=fastify runs the same app on Fastify.
 * The cache is configured by MOMENTO_API_KEY, MOMENTO_ENDPOINT and MOMENTO_CACHE_NAME alone:
 * point them at the local server (`momento-http-server`) or at Momento.
 */
async function bootstrap(): Promise<void> {
  try {
    // The module builds its own client from the same env vars; building one here first turns a
    // missing or malformed key into one clear line instead of Nest's injector stack trace.
    createClient();
  } catch (error) {
    fail(`${(error as Error).message} (see examples/nest-app/README.md)`);
  }
  const app =
    process.env.NEST_PLATFORM === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter())
      : await NestFactory.create(AppModule);
  // onModuleDestroy hooks (the cache store's disconnect) run on SIGTERM / Ctrl-C.
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3001);
  try {
    await app.listen(port, process.env.HOST ?? '127.0.0.1');
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    fail(inUse ? `port ${port} is already in use (set PORT to use another)` : String(error));
  }
  console.log(`nest-app listening on ${await app.getUrl()}`);
}

function fail(message: string): never {
  console.error(`nest-app: ${message}`);
  process.exit(1);
}

await bootstrap();
