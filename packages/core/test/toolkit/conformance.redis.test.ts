// The CacheStore contract on the client over the real local server in Redis mode (a throwaway
// redis-server), and every stack the core builds over it. Skipped, with the reason printed,
// where redis-server is not installed.
import { skipWithoutRedis, useLocalServer } from '@momento-http/test-kit';
import { describe } from 'vitest';
import { conformanceOfEveryStack } from './conformance-stacks';

describe.skipIf(skipWithoutRedis('core conformance'))('local server in Redis mode', () => {
  const local = useLocalServer({ storage: 'redis', clientOptions: { timeoutMs: 30_000 } });
  conformanceOfEveryStack('the local server (redis)', () => local.store());
});
