// Types for the test-only modules: express 4 under an alias, and apicache (ships none).
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'apicache' {
  import type { RequestHandler } from 'express';

  interface ApiCache {
    middleware(duration?: string | number, toggle?: unknown, options?: unknown): RequestHandler;
    newInstance(options?: unknown): ApiCache;
    clear(target?: string): unknown;
  }
  const apicache: ApiCache;
  export default apicache;
}
