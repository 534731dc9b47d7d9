import {
  appendCacheStatus,
  type CacheStatsSnapshot,
  type CacheStatus,
  formatCacheStatus,
  sha256,
  toHex,
} from '@momento-http/core';
import { CACHE_KEY_METADATA, CACHE_TTL_METADATA } from '@nestjs/cache-manager';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  Optional,
  StreamableFile,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { type Observable, of, tap } from 'rxjs';
import { MomentoCacheContext } from './context';
import type { CacheTagsValue } from './decorators';
import { forbidsStoring, type HttpEntry, storableHeaders } from './http-entry';
import { CACHE_TAGS_METADATA, MOMENTO_CACHE } from './tokens';

/** The parts of Express' `Request` and Fastify's `FastifyRequest` used here. */
interface AnyRequest {
  method: string;
  originalUrl?: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}
/** The parts of Express' `Response` and Fastify's `FastifyReply` used here. */
interface AnyResponse {
  statusCode: number;
  getHeaders(): Record<string, unknown>;
  headersSent?: boolean;
  sent?: boolean;
}

/** `@Sse()` metadata key (`SSE_METADATA` in @nestjs/common's constants, not a public export). */
const SSE_METADATA = '__sse__';

/** A request header's value as it goes into a key: its SHA-256, never the value in clear. */
const digest = (value: string) => toHex(sha256(value));

/**
 * Caches whole HTTP responses of GET and HEAD handlers in Momento: the status, the headers
 * (without `Set-Cookie`) and the value the handler returned, replayed through the platform so
 * the body, `Content-Type`, `ETag` and 304s come out exactly as on the first request.
 *
 * Differences from `CacheInterceptor`: status and headers set with `@Res({ passthrough: true })`
 * survive; HEAD is served from the GET entry; requests with an `Authorization` header (or the
 * configured `http.varyByHeaders`) get their own entries; responses with `Cache-Control:
 * no-store|private` are not stored; a lookup (entry and tags together) has one deadline, so a hung
 * store costs at most `timeoutMs` and counts as a miss; a near-cache hit costs no timer and no
 * decode; entries carry `@CacheTags` for invalidation across instances.
 * Honours `@CacheTTL` (ms) and `@CacheKey`. Sends `X-Cache: HIT|MISS`, `Age` on hits, and an
 * RFC 9211 `Cache-Status` member (`momento-http; hit; ttl=42`, `momento-http; fwd=uri-miss`,
 * `fwd=method` for other methods, `fwd=bypass` without a key), as the Express middleware does.
 *
 * Extend it and override {@link trackBy} for other keys (e.g. a user id from `req.user`).
 *
 * @example
 * @Controller('items') @UseInterceptors(HttpCacheInterceptor)
 * export class ItemsController { @Get() @CacheTags('items') list() { … } }
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  /** Methods whose responses are cached; HEAD shares the GET entry. */
  protected allowedMethods = ['GET', 'HEAD'];

  constructor(
    @Inject(MOMENTO_CACHE) protected readonly cache: MomentoCacheContext,
    @Inject(Reflector) protected readonly reflector: Reflector,
    @Optional() @Inject(HttpAdapterHost) protected readonly adapterHost?: HttpAdapterHost,
  ) {}

  /**
   * The figures of every `HttpCacheInterceptor` of the module (one read per lookup, the bytes of
   * entries and tags, the failures); `MomentoCacheService.stats()` adds the cache-manager side.
   */
  stats(): CacheStatsSnapshot {
    return this.cache.responseStats.snapshot();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http' || this.cache.closed) return next.handle();
    const request = context.switchToHttp().getRequest<AnyRequest>();
    const response = context.switchToHttp().getResponse<AnyResponse>();
    if (!this.allowedMethods.includes(request.method.toUpperCase())) {
      this.setCacheStatus(response, { fwd: 'method' });
      return next.handle();
    }
    // Server-sent events are a stream of values, not one response.
    if (this.reflector.get(SSE_METADATA, context.getHandler())) return next.handle();
    let key: string | undefined;
    try {
      key = await this.trackBy(context);
    } catch (error) {
      this.cache.report(error, 'trackBy');
      this.setCacheStatus(response, { fwd: 'bypass' });
      return next.handle();
    }
    if (!key) {
      this.setCacheStatus(response, { fwd: 'bypass' });
      return next.handle();
    }
    // Momento keys are at most 4 KiB; long URLs (or long @CacheKey values) are hashed.
    const storeKey = this.cache.responses.idOf(key);
    const startedAt = Date.now();
    const entry = await this.cache.responses.lookup(storeKey);
    if (entry) {
      try {
        this.replay(response, entry);
        this.setCacheStatus(response, { hit: true, ttl: (entry.expiresAt - Date.now()) / 1000 });
        return of(entry.value);
      } catch (error) {
        // A stored header the platform refuses: answer from the handler instead.
        this.cache.report(error, 'replay', storeKey);
      }
    }
    this.setHeader(response, 'X-Cache', 'MISS');
    this.setCacheStatus(response, { fwd: 'uri-miss' });
    let last: unknown;
    return next.handle().pipe(
      tap({
        next: (value) => {
          last = value;
        },
        // The platform sends the last value once the handler completes; store that one. Fire and
        // forget: the response never waits for the write, and a failed write is a report.
        complete: () => {
          void this.save(storeKey, context, response, last, startedAt).catch((error) =>
            this.cache.report(error, 'set', storeKey),
          );
        },
      }),
    );
  }

  /**
   * The cache key of a request, or `undefined` to bypass the cache. Default: the `@CacheKey`
   * value or the URL (path and query as sent), followed by a hash of each `http.varyByHeaders`
   * request header that is present (by default `Authorization`), so users never share entries.
   */
  protected async trackBy(context: ExecutionContext): Promise<string | undefined> {
    const request = context.switchToHttp().getRequest<AnyRequest>();
    const keyMeta = this.reflector.get<string | ((c: ExecutionContext) => string) | undefined>(
      CACHE_KEY_METADATA,
      context.getHandler(),
    );
    const base =
      typeof keyMeta === 'function'
        ? await keyMeta(context)
        : (keyMeta ??
          this.adapterHost?.httpAdapter?.getRequestUrl?.(request) ??
          request.originalUrl ??
          request.url);
    if (!base) return undefined;
    let key = base;
    for (const name of this.cache.options.varyByHeaders) {
      const value = request.headers[name];
      if (value !== undefined)
        key += `|${name}=${digest(Array.isArray(value) ? value.join(',') : value)}`;
    }
    return key;
  }

  private replay(response: AnyResponse, entry: HttpEntry): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter) adapter.status(response, entry.status);
    else response.statusCode = entry.status;
    for (const [name, value] of Object.entries(entry.headers))
      this.setHeader(response, name, value);
    this.setHeader(response, 'X-Cache', 'HIT');
    this.setHeader(
      response,
      'Age',
      String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))),
    );
  }

  private async save(
    storeKey: string,
    context: ExecutionContext,
    response: AnyResponse,
    value: unknown,
    startedAt: number,
  ): Promise<void> {
    // `@Res()` handlers answer themselves (value undefined), streams cannot be replayed, and
    // null/undefined are not worth a round trip (nest #10225).
    if (value === undefined || value === null || value instanceof StreamableFile) return;
    if (response.headersSent === true || response.sent === true) return;
    const status = response.statusCode;
    if (!this.cache.options.cacheableStatuses(status)) return;
    const headers = storableHeaders(response.getHeaders());
    if (forbidsStoring(headers) || !this.varyIsCovered(headers.vary)) return;
    const ttlMs = await this.ttlOf(context);
    if (ttlMs !== undefined && !(ttlMs >= 0)) return;
    const tags = this.tagsOf(context);
    // `@CacheTTL(0)` means "no expiry" in cache-manager; here that is `defaultTtlSeconds`.
    const effectiveTtlMs =
      (ttlMs || undefined) ?? this.cache.options.ttl ?? this.cache.options.defaultTtlSeconds * 1000;
    const entry: HttpEntry = {
      status,
      headers,
      value,
      storedAt: startedAt,
      expiresAt: Date.now() + effectiveTtlMs,
      tags,
    };
    await this.cache.responses.save(storeKey, entry, this.cache.ttlSeconds(effectiveTtlMs));
  }

  /** A `Vary` on a request header we do not key on would mix variants: do not store then. */
  private varyIsCovered(vary: string | string[] | undefined): boolean {
    if (vary === undefined) return true;
    const names = (Array.isArray(vary) ? vary.join(',') : vary).split(',');
    return names.every((raw) => {
      const name = raw.trim().toLowerCase();
      return !name || name === 'accept-encoding' || this.cache.options.varyByHeaders.includes(name);
    });
  }

  private async ttlOf(context: ExecutionContext): Promise<number | undefined> {
    const ttl =
      this.reflector.get(CACHE_TTL_METADATA, context.getHandler()) ??
      this.reflector.get(CACHE_TTL_METADATA, context.getClass());
    return typeof ttl === 'function' ? await ttl(context) : (ttl ?? undefined);
  }

  private tagsOf(context: ExecutionContext): string[] {
    const value = this.reflector.getAllAndOverride<CacheTagsValue | undefined>(
      CACHE_TAGS_METADATA,
      [context.getHandler(), context.getClass()],
    );
    return typeof value === 'function' ? value(context) : (value ?? []);
  }

  /** Adds this cache's `Cache-Status` member after any already set (unless turned off). */
  private setCacheStatus(response: AnyResponse, status: CacheStatus): void {
    const name = this.cache.options.cacheStatus;
    if (!name || response.headersSent === true || response.sent === true) return;
    const existing = response.getHeaders()['cache-status'];
    this.setHeader(
      response,
      'Cache-Status',
      appendCacheStatus(existing, formatCacheStatus(name, status)),
    );
  }

  private setHeader(response: AnyResponse, name: string, value: string | string[]): void {
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter) adapter.setHeader(response, name, value as string);
    else (response as unknown as { setHeader(n: string, v: unknown): void }).setHeader(name, value);
  }
}
