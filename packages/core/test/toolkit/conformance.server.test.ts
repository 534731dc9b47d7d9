// The CacheStore contract on the client over the real local server (memory mode), and every
// stack the core builds over it.
import { useLocalServer } from '@momento-http/test-kit';
import { conformanceOfEveryStack } from './conformance-stacks';

const local = useLocalServer({ clientOptions: { timeoutMs: 30_000 } });

conformanceOfEveryStack('the local server (memory)', () => local.store());
