/**
 * Issue 17: a failure nobody hears is printed once per cause (Keyv's 'error' event is the user's
 * route; `onError` replaces the report), and `stats()` counts reads, errors and bytes, on the real
 * local server.
 */
import { readFileSync } from 'node:fs';
import {
  failureCauses,
  README_MISSPELT_CACHE,
  RecordingStore,
  useLocalServer,
} from '@momento-http/test-kit';
import Keyv5 from 'keyv';
import Keyv6 from 'keyv6';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyv, KeyvMomento } from '../src/index';

const local = useLocalServer({ clientOptions: { retries: 0 } });

afterEach(() => {
  vi.restoreAllMocks();
});

/** console.warn, captured (and kept off the test output). */
function captureWarnings(): () => string[] {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  return () => warn.mock.calls.map((args) => String(args[0]));
}

/** What the test calls, on a bare store or on a Keyv. */
interface GetSet {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
}

/** Each way of wiring a store into Keyv, with no listener anywhere. */
const unheard: { name: string; wire: (store: KeyvMomento) => GetSet }[] = [
  { name: 'the bare store', wire: (store: KeyvMomento) => store },
  { name: 'new Keyv (5)', wire: (store: KeyvMomento) => new Keyv5(store, { useKeyPrefix: false }) },
  { name: 'new Keyv (6)', wire: (store: KeyvMomento) => new Keyv6({ store }) },
];

describe('failure reports', { timeout: 30_000 }, () => {
  it.each(unheard)(
    'with no listener ($name): one report per cause over many calls',
    async ({ name, wire }) => {
      for (const cause of await failureCauses(local, `keyv-${name.replace(/\W+/g, '')}`)) {
        const printed = captureWarnings();
        const keyv = wire(new KeyvMomento({ store: cause.store }));
        for (let i = 0; i < 5; i++) {
          expect(await keyv.get(`k${i}`), cause.name).toBeUndefined();
          await keyv.set(`k${i}`, 'v');
        }
        expect(printed(), cause.name).toHaveLength(1);
        // Keyv 6 may ask `has` before `get`: whichever call failed first is the one reported.
        expect(printed()[0], cause.name).toMatch(
          /^\[@momento-http\/keyv\] cache (get|has) failed: /,
        );
        expect(printed()[0], cause.name).toContain(cause.says);
        expect(printed()[0], cause.name).toContain("keyv.on('error'");
        expect(printed()[0], cause.name).not.toContain(local.apiKey.slice(-24));
        vi.restoreAllMocks();
      }
    },
  );

  it('createKeyv with no listener reports once; with a listener on Keyv 5 or 6 nothing is printed', async () => {
    const [cause, wrongKey] = await failureCauses(local, 'keyv-create');
    const printed = captureWarnings();
    const silent = createKeyv({ store: cause!.store });
    await silent.get('a');
    await silent.get('b');
    expect(printed()).toHaveLength(1);

    const heard: unknown[] = [];
    const listened = createKeyv({ store: wrongKey!.store });
    listened.on('error', (error: unknown) => heard.push(error));
    const keyv6 = new Keyv6({ store: new KeyvMomento({ store: wrongKey!.store }) });
    keyv6.on('error', (error: unknown) => heard.push(error));
    for (let i = 0; i < 3; i++) {
      await listened.get(`k${i}`);
      await keyv6.get(`k${i}`);
    }
    expect(heard.length).toBeGreaterThanOrEqual(6); // each get heard (Keyv 6 may add its own)
    expect(printed()).toHaveLength(1); // still only the first one
  });

  it('a store onError receives every failure and nothing is printed', async () => {
    const [cause] = await failureCauses(local, 'keyv-onerror');
    const printed = captureWarnings();
    const seen: string[] = [];
    const keyv = new Keyv5(
      new KeyvMomento({
        store: cause!.store,
        onError: (_error, operation) => seen.push(operation),
      }),
    );
    await keyv.get('a');
    await keyv.set('a', 1);
    await keyv.get('b');
    expect(seen).toEqual(['get', 'set', 'get']);
    expect(printed()).toEqual([]);
  });

  it('rejects an onError that is not a function', () => {
    expect(() => new KeyvMomento({ store: local.store(), onError: 'log' as never })).toThrow(
      /onError must be a function/,
    );
  });

  it("emits, word for word, the 'error' the README's Troubleshooting shows", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const troubleshooting = readme.slice(readme.indexOf('\n## Troubleshooting'));
    const shown = /e\.g\. `(KeyvMomento get "user:1": [^`]+)` \(a `(\w+)`\)/.exec(troubleshooting);
    const keyv = createKeyv({ client: local.client(), cacheName: README_MISSPELT_CACHE });
    const errors: Error[] = [];
    keyv.on('error', (error: Error) => errors.push(error));
    expect(await keyv.get('user:1')).toBeUndefined();
    expect(errors.map((error) => [error.message, (error.cause as Error).name])).toEqual([
      [shown?.[1], shown?.[2]],
    ]);
  });
});

describe('stats()', () => {
  it('counts each get, has and getMany key once, and the bytes of values', async () => {
    const recording = new RecordingStore(local.store());
    const store = new KeyvMomento({ store: recording, namespace: `stats-${Date.now()}` });
    await store.set('a', 'alpha');
    await store.get('a'); // hit
    await store.get('missing'); // miss
    await store.has('a'); // hit
    await store.getMany(['a', 'missing', 'a']); // hit, miss, hit
    const stats = store.stats();
    expect(stats).toMatchObject({ hits: 4, misses: 2, stale: 0, errors: 0, nearHits: 0 });
    const written = recording.sets.reduce((sum, s) => sum + s.value.byteLength, 0);
    expect(stats.bytesWritten).toBe(written);
    expect(stats.bytesRead).toBeGreaterThanOrEqual(4 * 'alpha'.length);
  });

  it('counts near-cache answers as near hits, and failures as errors and misses', async () => {
    // The namespace exists already (a generation a store creates is confirmed once more by it).
    await new KeyvMomento({ store: local.store() }).get('setup');
    const near = new KeyvMomento({ store: local.store(), nearCache: true });
    await near.set('n', 'value');
    await near.get('n');
    await near.get('n');
    expect(near.stats()).toMatchObject({ hits: 2, nearHits: 2, misses: 0 });

    const [cause] = await failureCauses(local, 'keyv-stats');
    const failing = new KeyvMomento({ store: cause!.store, onError: () => {} });
    await failing.get('x');
    await failing.set('x', 'y');
    expect(failing.stats()).toMatchObject({ hits: 0, misses: 1, errors: 2, bytesWritten: 0 });
  });
});
