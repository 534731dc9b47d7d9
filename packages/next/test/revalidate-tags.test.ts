import { createMemoryStore, InvalidArgumentError } from '@momento-http/core';
import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createIsrHandler } from '../src/isr';
import { NoCacheHandlerError, revalidateTags } from '../src/revalidate-tags';
import { appPage, connectionRefused, pageCtx, pageSetCtx, tick } from './support';

// The registry is per process (this file's worker): the tests run in order, each adding a handler.
describe('revalidateTags', () => {
  it('rejects when no handler of this package was constructed, and on bad tags', async () => {
    await expect(revalidateTags('t')).rejects.toThrow(NoCacheHandlerError);
    await expect(revalidateTags([])).rejects.toThrow(InvalidArgumentError);
    await expect(revalidateTags('t', { expire: -1 })).rejects.toThrow(InvalidArgumentError);
  });

  it('records the revalidation through the handler Next constructed: its entries expire', async () => {
    const store = new RecordingStore(createMemoryStore());
    const Handler = createIsrHandler({ store, keyPrefix: 'b1', onError: () => {} });
    const handler = new Handler();
    await handler.set('/isr/a', appPage(), pageSetCtx());
    await tick();
    const tagWrites = () => store.sets.filter((s) => s.key.includes('tag|isr')).length;
    await revalidateTags('isr');
    // Resolved only once the tag state is in the cache, where every instance reads it.
    expect(tagWrites()).toBe(1);
    const Other = createIsrHandler({ store: new RecordingStore(store), keyPrefix: 'b1' });
    expect(await new Other().get('/isr/a', pageCtx)).toBeNull();
  });

  it('rejects when the revalidation could not be recorded', async () => {
    const store = new RecordingStore(createMemoryStore());
    store.rule({ method: 'set', fail: connectionRefused });
    const Handler = createIsrHandler({ store, onError: () => {} });
    new Handler();
    await expect(revalidateTags(['isr'], 'max')).rejects.toThrow(/connection refused/);
  });
});
