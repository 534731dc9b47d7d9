import { Deadline } from '@momento-http/core';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Cache } from 'cache-manager';
import { mergeMap, type Observable } from 'rxjs';
import { MomentoCacheContext } from './context';
import type { CacheEvictOptions } from './decorators';
import { CACHE_EVICT_METADATA, MOMENTO_CACHE } from './tokens';

const resolve = (
  value: string[] | ((context: ExecutionContext) => string[]) | undefined,
  context: ExecutionContext,
): string[] => (typeof value === 'function' ? value(context) : (value ?? []));

/** Runs `@CacheEvict`: applied by the decorator, so it needs no registration of its own. */
@Injectable()
export class CacheEvictInterceptor implements NestInterceptor {
  constructor(
    @Inject(MOMENTO_CACHE) private readonly cache: MomentoCacheContext,
    @Inject(CACHE_MANAGER) private readonly cacheManager: Cache,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.getAllAndOverride<CacheEvictOptions | undefined>(
      CACHE_EVICT_METADATA,
      [context.getHandler(), context.getClass()],
    );
    if (!options) return next.handle();
    return next.handle().pipe(
      mergeMap(async (result) => {
        await this.evict(options, context);
        return result;
      }),
    );
  }

  private async evict(options: CacheEvictOptions, context: ExecutionContext): Promise<void> {
    let tags: string[];
    let keys: string[];
    try {
      tags = resolve(options.tags, context);
      keys = resolve(options.keys, context);
    } catch (error) {
      this.cache.report(error, 'evict');
      return;
    }
    if (!tags.length && !keys.length) return;
    // One deadline for the whole eviction: the tag record's read and write and every key's
    // delete share `timeoutMs`, so a slow cache delays the response by at most that much.
    const deadline = new Deadline(this.cache.options.timeoutMs, { operation: '@CacheEvict' });
    await Promise.all([
      tags.length
        ? deadline
            .run((o) => this.cache.tags.invalidate(tags, o))
            .catch((e: unknown) => this.cache.report(e, 'invalidateTags', tags.join(',')))
        : undefined,
      ...keys.map((key) =>
        deadline
          .race(this.cacheManager.del(key))
          .catch((e: unknown) => this.cache.report(e, 'del', key)),
      ),
    ]);
  }
}
