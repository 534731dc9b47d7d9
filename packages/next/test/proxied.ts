import type { FaultProxy, LocalServer } from '@momento-http/test-kit';
import { createIsrHandler, type IsrHandler } from '../src/isr';
import type { NextCacheOptions } from '../src/options';
import { createUseCacheHandler, type UseCacheHandler } from '../src/use-cache';

/** A regular expression matching `text` exactly (keys hold `|`). */
export const exactly = (text: string, suffix = '$') =>
  new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${suffix}`);

export interface ReportedError {
  error: unknown;
  operation: string;
}

/** One "process": both handler kinds over one client of its own, through the fault proxy. */
export interface ProxiedProcess {
  isr: IsrHandler;
  useCache: UseCacheHandler;
  errors: ReportedError[];
}

/** Handlers of one process, as Next would load them, talking to the local server through `proxy`. */
export function proxiedProcess(
  local: LocalServer,
  proxy: FaultProxy,
  options: NextCacheOptions,
): ProxiedProcess {
  const errors: ReportedError[] = [];
  const all: NextCacheOptions = {
    client: local.client({ baseUrl: proxy.url }),
    keyPrefix: 'build-1',
    onError: (error, operation) => errors.push({ error, operation }),
    ...options,
  };
  const Isr = createIsrHandler(all);
  return { isr: new Isr(), useCache: createUseCacheHandler(all), errors };
}

/** A namespace no other test uses. */
export const freshNamespace = () => `p${Math.random().toString(36).slice(2)}|`;
