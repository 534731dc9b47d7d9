import { describe, expect, it } from 'vitest';
import { tagVerdict } from '../../src/toolkit/tag-verdict';

describe('tagVerdict', () => {
  const created = 10_000;

  it('fresh with no states, or only invalidations before the entry', () => {
    expect(tagVerdict([], created)).toBe('fresh');
    expect(tagVerdict([{ stale: created - 1, expired: created - 1 }], created, created + 5)).toBe(
      'fresh',
    );
  });

  it('the same millisecond counts against the entry (stale and expired)', () => {
    expect(tagVerdict([{ stale: created, expired: created }], created, created)).toBe('expired');
    expect(tagVerdict([{ stale: created, expired: created + 60_000 }], created, created)).toBe(
      'stale',
    );
  });

  it('a deferred expiry is stale until it passes, then expired', () => {
    const state = { stale: created + 1, expired: created + 1000 };
    expect(tagVerdict([state], created, created + 999)).toBe('stale');
    expect(tagVerdict([state], created, created + 1000)).toBe('expired');
  });

  it('any expiring tag wins over fresh and stale ones; a Map is read by its values', () => {
    const states = new Map([
      ['a', { stale: 0, expired: 0 }],
      ['b', { stale: created + 5, expired: created + 5 }],
    ]);
    expect(tagVerdict(states, created, created + 5)).toBe('expired');
  });
});
