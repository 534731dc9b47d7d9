import { createMemoryStore, InvalidArgumentError } from '@momento-http/core';
import { describe, expect, it } from 'vitest';
import { normalizeOptions } from '../src/normalize-options';

describe('tagNamespace', () => {
  const store = createMemoryStore();

  it('builds the tag prefix by core rule; the deprecated tagPrefix still works alone', () => {
    expect(normalizeOptions({ store }).tagPrefix).toBe('__tag__|');
    expect(normalizeOptions({ store, tagNamespace: 'shop' }).tagPrefix).toBe('shop|__tag__|');
    expect(normalizeOptions({ store, tagPrefix: 'legacy|' }).tagPrefix).toBe('legacy|');
  });

  it('rejects both at once, and a bad namespace, with the reason', () => {
    expect(() => normalizeOptions({ store, tagNamespace: 'a', tagPrefix: 'b|' })).toThrow(
      /not both/,
    );
    expect(() => normalizeOptions({ store, tagNamespace: 'a|b' })).toThrow(InvalidArgumentError);
  });
});
