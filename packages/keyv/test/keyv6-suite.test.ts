// The same official suite under Keyv 6.1 (installed as `keyv6`), where Keyv wraps this v5-contract
// store in its KeyvBridgeAdapter. One test cannot pass with any adapter under Keyv 6: it expects
// `keyv.delete([missing keys])` to be falsy, but Keyv 6 always returns an array (`[false, false,
// false]`), which is truthy. That test runs as `it.fails`, so it is reported if Keyv ever changes.
import keyvTestSuite from '@keyv/test-suite';
import { useLocalServer } from '@momento-http/test-kit';
import { Keyv } from 'keyv6';
import * as vitest from 'vitest';
import { KeyvMomento } from '../src/index';

const local = useLocalServer();

const IMPOSSIBLE_UNDER_KEYV6 = new Set([
  '.deleteMany([keys]) with nonexistent keys resolves to false',
]);

const it = ((name: string, fn: vitest.TestFunction) =>
  IMPOSSIBLE_UNDER_KEYV6.has(name)
    ? vitest.it.fails(name, fn)
    : vitest.it(name, fn)) as typeof vitest.it;

// biome-ignore lint/suspicious/noExplicitAny: the 2.1.2 suite is typed for Keyv 5's class
keyvTestSuite({ ...vitest, it }, Keyv as any, () => new KeyvMomento({ client: local.client() }));

vitest.it(
  'under Keyv 6, deleteMany of missing keys is [false, false, false] (the reason above)',
  async () => {
    const keyv = new Keyv({ store: new KeyvMomento({ client: local.client() }) });
    vitest.expect(await keyv.deleteMany(['a', 'b', 'c'])).toEqual([false, false, false]);
  },
);
