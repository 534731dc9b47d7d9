// The bootstrap the Nest README's samples assume (what `nest new` writes), on a free port.
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  console.log(`SAMPLE_LISTENING ${app.getHttpServer().address().port}`);
}
void bootstrap();
