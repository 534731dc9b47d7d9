/** Read-your-writes against the real local server, with the writes held back in flight. */

import { RecordingStore, useLocalServer } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { EntryCache } from '../../src/toolkit/entry-cache';
import { FencedNearCache } from '../../src/toolkit/fenced-near-cache';
import { TagStates } from '../../src/toolkit/tag-states';
import { tagVerdict } from '../../src/toolkit/tag-verdict';
import { TagStore } from '../../src/toolkit/tags';
import { deferred, text } from './helpers';

const local = useLocalServer();
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

describe('read-your-writes over HTTP', { timeout: 30_000 }, () => {
  it.each([false, true])(
    'a value written and not yet landed is read back (near %s)',
    async (near) => {
      const store = new RecordingStore(local.store());
      const entries = new EntryCache<string>({
        store,
        decode,
        near: near ? new FencedNearCache<string>() : undefined,
      });
      await entries.set(`ryw-${near}`, 'old', bytes('old'), { ttlSeconds: 60 });
      const gate = deferred();
      store.rule({ method: 'set', until: gate.promise });
      const write = entries.set(`ryw-${near}`, 'new', bytes('new'), { ttlSeconds: 60 });
      expect(await entries.get(`ryw-${near}`)).toBe('new');
      expect(text(await local.store().get(`ryw-${near}`))).toBe('old'); // the server has not got it yet
      gate.resolve();
      await write;
      expect(text(await local.store().get(`ryw-${near}`))).toBe('new');
    },
  );

  it('a tag invalidated here is seen here before the tag write lands', async () => {
    const store = new RecordingStore(local.store());
    const tags = new TagStates(new TagStore(store, { prefix: 'ryw-tag|' }));
    const createdAt = Date.now() - 10;
    expect(tagVerdict(await tags.read(['t']), createdAt)).toBe('fresh');
    const gate = deferred();
    store.rule({ method: 'set', until: gate.promise });
    const invalidation = tags.invalidate(['t']);
    expect(tagVerdict(await tags.read(['t']), createdAt)).toBe('expired');
    gate.resolve();
    await invalidation;
    const elsewhere = new TagStates(new TagStore(local.store(), { prefix: 'ryw-tag|' }));
    expect(tagVerdict(await elsewhere.read(['t']), createdAt)).toBe('expired');
  });
});
