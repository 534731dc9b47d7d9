import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { DEFAULT_MAX_TTL_SECONDS } from '../../src/toolkit/limits';
import { normalizeTtlPolicy, toTtlSeconds } from '../../src/toolkit/ttl';

const policy = { defaultTtlSeconds: 3600, maxTtlSeconds: 86_400 };

describe('toTtlSeconds', () => {
  it('rounds milliseconds up to whole seconds, at least 1', () => {
    expect(toTtlSeconds(1, policy)).toBe(1);
    expect(toTtlSeconds(999, policy)).toBe(1);
    expect(toTtlSeconds(1000, policy)).toBe(1);
    expect(toTtlSeconds(1001, policy)).toBe(2);
    expect(toTtlSeconds(1500, policy)).toBe(2);
    expect(toTtlSeconds(0, policy)).toBe(1);
  });

  it('clamps to the maximum', () => {
    expect(toTtlSeconds(86_400_001, policy)).toBe(86_400);
    expect(toTtlSeconds(5000, { defaultTtlSeconds: 1, maxTtlSeconds: 3 })).toBe(3);
  });

  it('maps "no expiry" to the default, capped to the maximum', () => {
    expect(toTtlSeconds(undefined, policy)).toBe(3600);
    expect(toTtlSeconds(Number.POSITIVE_INFINITY, policy)).toBe(3600);
    expect(toTtlSeconds(undefined, { defaultTtlSeconds: 100_000, maxTtlSeconds: 86_400 })).toBe(
      86_400,
    );
  });

  it('rejects NaN and invalid policies', () => {
    expect(() => toTtlSeconds(Number.NaN, policy)).toThrow(InvalidArgumentError);
    expect(() => toTtlSeconds(1, { defaultTtlSeconds: 1, maxTtlSeconds: 0 })).toThrow(/maxTtl/);
    expect(() => toTtlSeconds(undefined, { defaultTtlSeconds: 1.5, maxTtlSeconds: 9 })).toThrow(
      /defaultTtl/,
    );
  });
});

describe('normalizeTtlPolicy', () => {
  it('fills defaults without mutating the input', () => {
    expect(normalizeTtlPolicy()).toEqual({
      defaultTtlSeconds: DEFAULT_MAX_TTL_SECONDS,
      maxTtlSeconds: DEFAULT_MAX_TTL_SECONDS,
    });
    const input = Object.freeze({ defaultTtlSeconds: 500, maxTtlSeconds: 100 });
    expect(normalizeTtlPolicy(input)).toEqual({ defaultTtlSeconds: 100, maxTtlSeconds: 100 });
    expect(() => normalizeTtlPolicy({ maxTtlSeconds: -1 })).toThrow(InvalidArgumentError);
  });
});
