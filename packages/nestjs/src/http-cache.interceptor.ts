import {
  appendCacheStatus,
  type CacheStatsSnapshot,
  type CacheStatus,
  formatCacheStatus,
  servesOnError,
  sha256,
  staleKeepMs,
  staleUse,
  toHex,
} from '@momento-http/core';
import { CACHE_KEY_METADATA, CACHE_TTL_METADATA } from '@nestjs/cache-manager';
import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  type NestInterceptor,
  Optional,
  StreamableFile,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { catchError, finalize, type Observable, of, tap, throwError } from 'rxjs';
import { MomentoCacheContext } from './context';
import type { CacheTagsValue } from './decorators';
import { forbidsStoring, type HttpEntry, storableHeaders } from './http-entry';
import { windowsOf } from './response-cache';
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
  getHeader?(name: string): unknown;
  /** Node's `ServerResponse` (Express); Fastify's reply has `header()` instead. */
  setHeader?(name: string, value: string | string[]): unknown;
  headersSent?: boolean;
  sent?: boolean;
}

/** `@Sse()` metadata key (`SSE_METADATA` in @nestjs/common's constants, not a public export). */
const SSE_METADATA = '__sse__';

/**
 * How long a concurrent miss waits for the first one's answer before running the handler itself
 * (as the Express middleware's default `lockTimeoutMs`).
 */
const SINGLE_FLIGHT_WAIT_MS = 5000;

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

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
 * store costs at most `timeoutMs` and counts as a miss; a near-cache hit is answered synchronously
 * (no promise, timer or decode); concurrent misses of one key run the handler once; the stored
 * `Cache-Control`'s `stale-while-revalidate` and `stale-if-error` are honoured (RFC 5861); entries
 * carry `@CacheTags` for invalidation across instances.
 * Honours `@CacheTTL` (ms) and `@CacheKey`. Sends `X-Cache: HIT|MISS|STALE`, `Age` on hits, and an
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
   * entries and tags, the failures), with the method decorators' reads, which share the engine's
   * store stack; `MomentoCacheService.stats()` adds the cache-manager side.
   */
  stats(): CacheStatsSnapshot {
    return this.cache.responseStats.snapshot();
  }

  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'http' || this.cache.closed) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<AnyRequest>();
    const response = http.getResponse<AnyResponse>();
    if (!this.allowedMethods.includes(request.method.toUpperCase())) {
      this.setCacheStatus(response, { fwd: 'method' });
      return next.handle();
    }
    // Server-sent events are a stream of values, not one response.
    if (this.reflector.get(SSE_METADATA, context.getHandler())) return next.handle();
    let key: string | undefined | Promise<string | undefined>;
    try {
      key = this.trackBy(context);
    } catch (error) {
      return this.bypass(response, next, error);
    }
    // An overridden async `trackBy`: the same steps once the key is known.
    if (isPromise(key)) {
      return key.then(
        (resolved) => this.withKey(resolved, context, next, response),
        (error: unknown) => this.bypass(response, next, error),
      );
    }
    return this.withKey(key, context, next, response);
  }

  /**
   * The cache key of a request, or `undefined` to bypass the cache. Default: the `@CacheKey`
   * value or the URL (path and query as sent), followed by a hash of each `http.varyByHeaders`
   * request header that is present (by default `Authorization`), so users never share entries.
   * An override may return a promise (a synchronous key keeps near-cache hits synchronous).
   */
  protected trackBy(context: ExecutionContext): string | undefined | Promise<string | undefined> {
    const request = context.switchToHttp().getRequest<AnyRequest>();
    const keyMeta = this.reflector.get<
      string | ((c: ExecutionContext) => string | Promise<string>) | undefined
    >(CACHE_KEY_METADATA, context.getHandler());
    if (typeof keyMeta === 'function') {
      const computed = keyMeta(context);
      return isPromise(computed)
        ? computed.then((base) => this.withVary(base, request))
        : this.withVary(computed, request);
    }
    const base =
      keyMeta ??
      this.adapterHost?.httpAdapter?.getRequestUrl?.(request) ??
      request.originalUrl ??
      request.url;
    return this.withVary(base, request);
  }

  private withVary(base: string | undefined, request: AnyRequest): string | undefined {
    if (!base) return undefined;
    let key = base;
    for (const name of this.cache.options.varyByHeaders) {
      const value = request.headers[name];
      if (value !== undefined)
        key += `|${name}=${digest(Array.isArray(value) ? value.join(',') : value)}`;
    }
    return key;
  }

  private bypass(response: AnyResponse, next: CallHandler, error?: unknown): Observable<unknown> {
    if (error !== undefined) this.cache.report(error, 'trackBy');
    this.setCacheStatus(response, { fwd: 'bypass' });
    return next.handle();
  }

  /**
   * A near-cache hit is answered here, synchronously: no promise, no timer, no decode. Anything
   * else goes through {@link lookupAndAnswer}.
   */
  private withKey(
    key: string | undefined,
    context: ExecutionContext,
    next: CallHandler,
    response: AnyResponse,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    if (!key) return this.bypass(response, next);
    // Momento keys are at most 4 KiB; long URLs (or long @CacheKey values) are hashed.
    const storeKey = this.cache.responses.idOf(key);
    const startedAt = Date.now();
    const near = this.cache.responses.peekFresh(storeKey);
    if (near && this.replay(response, near, storeKey, 'HIT', { hit: true })) return of(near.value);
    return this.lookupAndAnswer(storeKey, context, next, response, startedAt);
  }

  /**
   * The store's answer: fresh → HIT; stale within `stale-while-revalidate` → STALE and a
   * background refresh; otherwise the handler runs (once for concurrent misses of the key, the
   * others replaying its answer), and a stale entry within `stale-if-error` answers if it fails.
   */
  private async lookupAndAnswer(
    storeKey: string,
    context: ExecutionContext,
    next: CallHandler,
    response: AnyResponse,
    startedAt: number,
  ): Promise<Observable<unknown>> {
    const entry = await this.cache.responses.lookup(storeKey);
    let staleOnError: HttpEntry | undefined;
    if (entry) {
      const staleness = Date.now() - entry.expiresAt;
      const use = staleUse(staleness, windowsOf(entry));
      if (use === 'fresh' && this.replay(response, entry, storeKey, 'HIT', { hit: true })) {
        return of(entry.value);
      }
      if (
        use === 'while-revalidate' &&
        this.replay(response, entry, storeKey, 'STALE', { hit: true })
      ) {
        this.refreshInBackground(storeKey, context, next, entry);
        return of(entry.value);
      }
      if (use === 'if-error') staleOnError = entry;
    }
    const fill = this.cache.responses.fills.join(storeKey);
    if (!fill.leader) {
      const shared = await fill.wait(SINGLE_FLIGHT_WAIT_MS);
      const status: CacheStatus = { fwd: 'uri-miss', collapsed: true };
      if (shared && this.replay(response, shared, storeKey, 'HIT', status)) {
        return of(shared.value);
      }
    }
    return this.callHandler(storeKey, context, next, response, startedAt, {
      stale: staleOnError,
      settle: fill.leader ? fill.settle : undefined,
    });
  }

  /**
   * Runs the handler and stores what it returned (fire and forget: the response never waits for
   * the write). Hands the entry to concurrent misses waiting on `settle`; when the handler fails
   * with a 5xx and `stale` is within its `stale-if-error` window, answers with `stale` instead.
   */
  private callHandler(
    storeKey: string,
    context: ExecutionContext,
    next: CallHandler,
    response: AnyResponse,
    startedAt: number,
    { stale, settle }: { stale?: HttpEntry; settle?: (entry: HttpEntry | undefined) => void },
  ): Observable<unknown> {
    const statusBefore = { value: this.cacheStatusOf(response) };
    this.setHeader(response, 'X-Cache', 'MISS');
    this.setCacheStatus(response, { fwd: stale ? 'stale' : 'uri-miss' });
    let last: unknown;
    let completed = false;
    return next.handle().pipe(
      tap({
        next: (value) => {
          last = value;
        },
        // The platform sends the last value once the handler completes; store that one.
        complete: () => {
          completed = true;
          const entry = this.entryOf(response, last, startedAt);
          if (!entry) {
            settle?.(undefined);
            return;
          }
          void this.save(storeKey, context, entry, settle).catch((error) => {
            settle?.(undefined);
            this.cache.report(error, 'set', storeKey);
          });
        },
      }),
      catchError((error: unknown) => {
        settle?.(undefined);
        const status = error instanceof HttpException ? error.getStatus() : 500;
        if (stale && servesOnError(Date.now() - stale.expiresAt, windowsOf(stale), status)) {
          const served = this.replay(
            response,
            stale,
            storeKey,
            'STALE',
            { hit: true, fwd: 'stale', fwdStatus: status, detail: 'stale-if-error' },
            statusBefore,
          );
          if (served) return of(stale.value);
        }
        return throwError(() => error);
      }),
      // Unsubscribed before completing (the client went away): nothing to share. A completed
      // handler settles once its entry is built (save), which may take a tick longer.
      finalize(() => {
        if (!completed) settle?.(undefined);
      }),
    );
  }

  /**
   * Stale-while-revalidate: runs the handler again after the stale answer went out, and stores
   * its value with the stored status and headers (the response object is already sent, so
   * headers set on it during the refresh are not kept). One refresh per response at a time.
   */
  private refreshInBackground(
    storeKey: string,
    context: ExecutionContext,
    next: CallHandler,
    stale: HttpEntry,
  ): void {
    this.cache.responses.refreshes.start(
      storeKey,
      () =>
        new Promise<void>((resolve, reject) => {
          const startedAt = Date.now();
          let last: unknown;
          next.handle().subscribe({
            next: (value) => {
              last = value;
            },
            error: reject,
            complete: () => {
              if (last === undefined || last === null || last instanceof StreamableFile) {
                resolve();
                return;
              }
              const entry = {
                status: stale.status,
                headers: stale.headers,
                value: last,
                startedAt,
              };
              this.save(storeKey, context, entry).then(resolve, reject);
            },
          });
        }),
    );
  }

  /**
   * Sets the entry's status and headers (plus X-Cache, Age and Cache-Status) on the response.
   * False when the platform refuses a stored header: the handler answers instead.
   */
  private replay(
    response: AnyResponse,
    entry: HttpEntry,
    storeKey: string,
    state: 'HIT' | 'STALE',
    status: CacheStatus,
    cacheStatusBefore?: { value: unknown },
  ): boolean {
    try {
      if (response.statusCode !== entry.status) {
        const adapter = this.adapterHost?.httpAdapter;
        if (adapter) adapter.status(response, entry.status);
        else response.statusCode = entry.status;
      }
      const headers = entry.headers;
      for (const name in headers) this.setHeader(response, name, headers[name] as string);
      this.setHeader(response, 'X-Cache', state);
      const now = Date.now();
      this.setHeader(
        response,
        'Age',
        String(Math.max(0, Math.floor((now - entry.storedAt) / 1000))),
      );
      if (status.hit && status.ttl === undefined) {
        // Negative once stale: -1 from the first stale millisecond (Cache-Status rounds).
        const ttl = (entry.expiresAt - now) / 1000;
        status.ttl = ttl < 0 ? Math.floor(ttl) : ttl;
      }
      this.setCacheStatus(response, status, cacheStatusBefore);
      return true;
    } catch (error) {
      // A stored header the platform refuses: answer from the handler instead.
      this.cache.report(error, 'replay', storeKey);
      return false;
    }
  }

  /** What the handler left to store: its value, the status and the headers, or nothing. */
  private entryOf(
    response: AnyResponse,
    value: unknown,
    startedAt: number,
  ): (Omit<HttpEntry, 'expiresAt' | 'tags' | 'storedAt'> & { startedAt: number }) | undefined {
    // `@Res()` handlers answer themselves (value undefined), streams cannot be replayed, and
    // null/undefined are not worth a round trip (nest #10225).
    if (value === undefined || value === null || value instanceof StreamableFile) return undefined;
    if (response.headersSent === true || response.sent === true) return undefined;
    const status = response.statusCode;
    if (!this.cache.options.cacheableStatuses(status)) return undefined;
    const headers = storableHeaders(response.getHeaders());
    if (forbidsStoring(headers) || !this.varyIsCovered(headers.vary)) return undefined;
    return { status, headers, value, startedAt };
  }

  /**
   * Stores the entry for `@CacheTTL` (or the module's TTL) plus its longest stale window, and
   * hands it to `settle` (the concurrent misses waiting for it) as soon as it is known.
   */
  private async save(
    storeKey: string,
    context: ExecutionContext,
    { status, headers, value, startedAt }: NonNullable<ReturnType<HttpCacheInterceptor['entryOf']>>,
    settle?: (entry: HttpEntry | undefined) => void,
  ): Promise<void> {
    const ttlMs = await this.ttlOf(context);
    if (ttlMs !== undefined && !(ttlMs >= 0)) {
      settle?.(undefined);
      return;
    }
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
    settle?.(entry);
    const keepMs = effectiveTtlMs + staleKeepMs(windowsOf(entry));
    await this.cache.responses.save(storeKey, entry, this.cache.ttlSeconds(keepMs));
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

  /**
   * Adds this cache's `Cache-Status` member after those already set (unless turned off); after
   * `before.value` instead when given (replacing a member this cache set earlier in the request).
   */
  private setCacheStatus(
    response: AnyResponse,
    status: CacheStatus,
    before?: { value: unknown },
  ): void {
    const name = this.cache.options.cacheStatus;
    if (!name || response.headersSent === true || response.sent === true) return;
    const existing = before ? before.value : this.cacheStatusOf(response);
    this.setHeader(
      response,
      'Cache-Status',
      appendCacheStatus(existing, formatCacheStatus(name, status)),
    );
  }

  /** The response's `Cache-Status` so far (one header read, not a copy of them all). */
  private cacheStatusOf(response: AnyResponse): unknown {
    return response.getHeader
      ? response.getHeader('cache-status')
      : response.getHeaders()['cache-status'];
  }

  private setHeader(response: AnyResponse, name: string, value: string | string[]): void {
    // A Node `ServerResponse` (Express): set directly, the cheapest way on the hit path. Values
    // are stored as the platform left them (Express' charset already added).
    if (typeof response.setHeader === 'function') {
      response.setHeader(name, value);
      return;
    }
    const adapter = this.adapterHost?.httpAdapter;
    if (adapter) adapter.setHeader(response, name, value as string);
    else throw new TypeError('HttpCacheInterceptor: the response has no way to set a header');
  }
}
