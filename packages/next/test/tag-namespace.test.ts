import { createMemoryStore, InvalidArgumentError } from '@momento-http/core';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../src/options';

describe('tagNamespace', () => {
  it('keeps tags under the namespace unless a tag namespace is given', () => {
    const store = createMemoryStore();
    expect(resolveOptions({ store }).tagKeyPrefix).toBe('next|tag|');
    expect(resolveOptions({ store, namespace: 'site|' }).tagKeyPrefix).toBe('site|tag|');
    expect(resolveOptions({ store, tagNamespace: 'shop' }).tagKeyPrefix).toBe('shop|__tag__|');
  });

  it('rejects a bad tag namespace naming the option', () => {
    expect(() => resolveOptions({ store: createMemoryStore(), tagNamespace: 'a|b' })).toThrow(
      InvalidArgumentError,
    );
    expect(() => resolveOptions({ store: createMemoryStore(), tagNamespace: '' })).toThrow(
      /tagNamespace/,
    );
  });
});
