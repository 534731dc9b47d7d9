import {
  CacheEvict,
  CacheInterceptor,
  CacheKey,
  CacheTags,
  CacheTTL,
  HttpCacheInterceptor,
  MomentoCacheModule,
  type MomentoCacheModuleOptions,
} from '@momento-http/nestjs';
import {
  Body,
  Controller,
  type DynamicModule,
  type ExecutionContext,
  Get,
  Header,
  Headers,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Param,
  Post,
  Res,
  Sse,
  UseInterceptors,
} from '@nestjs/common';
import { of } from 'rxjs';

/** Works for Express' `res` and Fastify's `reply`: both have `status()` and `header()`. */
interface AnyReply {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
}

/** A "database" shared by every app instance of one test, so two instances see one truth. */
export class Db {
  items: string[] = [];
  calls = 0;
}
export const DB = Symbol('DB');

@Controller('stock')
@UseInterceptors(CacheInterceptor)
export class StockController {
  constructor(@Inject(DB) private readonly db: Db) {}

  @Get('counter')
  counter() {
    return { n: ++this.db.calls };
  }

  @Get('short')
  @CacheTTL(1000)
  short() {
    return { n: ++this.db.calls };
  }

  @Get('keyed/:id')
  @CacheKey('fixed-key')
  keyed(@Param('id') id: string) {
    return { id, n: ++this.db.calls };
  }
}

@Controller('ttl')
@UseInterceptors(CacheInterceptor)
@CacheTTL(60_000)
export class TtlController {
  @Get('class')
  fromClass() {
    return { ttl: 'class' };
  }

  @Get('method')
  @CacheTTL(1500)
  fromMethod() {
    return { ttl: 'method' };
  }
}

@Controller('http')
@UseInterceptors(HttpCacheInterceptor)
export class HttpController {
  constructor(@Inject(DB) private readonly db: Db) {}

  @Get('status')
  status(@Res({ passthrough: true }) reply: AnyReply) {
    reply.status(203);
    reply.header('X-Custom', 'kept');
    reply.header('Set-Cookie', 'sid=secret');
    return { n: ++this.db.calls, at: new Date(0) };
  }

  @Get('decorated')
  @HttpCode(202)
  @Header('X-Deco', 'yes')
  decorated() {
    return `text ${++this.db.calls}`;
  }

  @Get('me')
  me(@Headers('authorization') authorization?: string) {
    return { user: authorization ?? 'anonymous', n: ++this.db.calls };
  }

  @Get('private')
  private(@Res({ passthrough: true }) reply: AnyReply) {
    reply.header('Cache-Control', 'private, max-age=60');
    return { n: ++this.db.calls };
  }

  @Get('short')
  @CacheTTL(1000)
  short() {
    return { n: ++this.db.calls };
  }

  @Sse('events')
  events() {
    const n = ++this.db.calls;
    return of({ data: { n } }, { data: { n, last: true } });
  }

  @Get('items')
  @CacheTags('items')
  list() {
    return { items: [...this.db.items], n: ++this.db.calls };
  }

  @Post('items')
  @CacheEvict({ tags: ['items'], keys: ['/stock/counter'] })
  add(@Body() body: { name: string }) {
    this.db.items.push(body.name);
    return { ok: true };
  }
}

/** `trackBy` overridden: one entry per tenant, bypass for requests without one. */
@Injectable()
export class TenantCacheInterceptor extends HttpCacheInterceptor {
  protected override async trackBy(context: ExecutionContext): Promise<string | undefined> {
    const tenant = context.switchToHttp().getRequest().headers['x-tenant'];
    return tenant ? `tenant:${tenant}:${await super.trackBy(context)}` : undefined;
  }
}

@Controller('tenant')
@UseInterceptors(TenantCacheInterceptor)
export class TenantController {
  constructor(@Inject(DB) private readonly db: Db) {}

  @Get('home')
  home(@Headers('x-tenant') tenant?: string) {
    return { tenant: tenant ?? null, n: ++this.db.calls };
  }
}

/** The test app: both controllers on one `MomentoCacheModule`. */
@Module({})
// biome-ignore lint/complexity/noStaticOnlyClass: a Nest dynamic module is static factories on its class
export class TestAppModule {
  static with(options: MomentoCacheModuleOptions, db: Db): DynamicModule {
    return {
      module: TestAppModule,
      imports: [MomentoCacheModule.forRoot(options)],
      controllers: [StockController, TtlController, HttpController, TenantController],
      providers: [{ provide: DB, useValue: db }],
    };
  }
}
