import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import {
  checkTagNamespace,
  DEFAULT_TAG_KEY_PREFIX,
  tagKeyPrefix,
} from '../../src/toolkit/tag-namespace';
import { TagStore } from '../../src/toolkit/tags';

describe('tagKeyPrefix', () => {
  it('is the shared namespace without a name, and the TagStore default', async () => {
    expect(tagKeyPrefix()).toBe('__tag__|');
    expect(DEFAULT_TAG_KEY_PREFIX).toBe('__tag__|');
    const store = createMemoryStore();
    await new TagStore(store).invalidate(['product:1']);
    expect(await store.get('__tag__|product:1')).toBeDefined();
  });

  it('puts a named namespace in front of the shared prefix', () => {
    expect(tagKeyPrefix('shop')).toBe('shop|__tag__|');
  });

  it('keeps two namespaces apart: purging one leaves the other fresh', async () => {
    const store = createMemoryStore();
    const shop = new TagStore(store, { prefix: tagKeyPrefix('shop') });
    const blog = new TagStore(store, { prefix: tagKeyPrefix('blog') });
    await shop.invalidate(['product:1']);
    expect((await shop.read(['product:1'])).size).toBe(1);
    expect((await blog.read(['product:1'])).size).toBe(0);
    expect((await new TagStore(store).read(['product:1'])).size).toBe(0);
  });

  it.each([
    ['', /must not be empty/],
    ['a|b', /must not contain '\|'/],
    ['a\nb', /control characters/],
    ['__tag__', /shared namespace/],
    ['x'.repeat(129), /at most 128/],
    [42, /must be a string/],
  ])('rejects %j with the reason', (value, reason) => {
    expect(() => tagKeyPrefix(value as string)).toThrow(InvalidArgumentError);
    expect(() => checkTagNamespace(value)).toThrow(reason);
    expect(() => checkTagNamespace(value)).toThrow(/tagNamespace/);
  });
});
