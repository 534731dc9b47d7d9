import { createMemoryStore, InvalidArgumentError } from '@momento-http/core';
import { describe, expect, it } from 'vitest';
import { responseCache } from '../src/index';

describe('tagNamespace', () => {
  it('purges write the tag under the namespace core names, the shared one by default', async () => {
    const store = createMemoryStore();
    await responseCache({ store }).purge({ tags: ['product:1'] });
    await responseCache({ store, tagNamespace: 'shop' }).purge({ tags: ['product:2'] });
    expect(await store.get('__tag__|product:1')).toBeDefined();
    expect(await store.get('shop|__tag__|product:2')).toBeDefined();
    expect(await store.get('__tag__|product:2')).toBeUndefined();
  });

  it('rejects a namespace that could collide, naming the option', () => {
    const store = createMemoryStore();
    expect(() => responseCache({ store, tagNamespace: 'a|b' })).toThrow(InvalidArgumentError);
    expect(() => responseCache({ store, tagNamespace: '' })).toThrow(/tagNamespace/);
  });
});
