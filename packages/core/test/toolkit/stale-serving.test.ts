import { describe, expect, it } from 'vitest';
import {
  NO_STALE_WINDOWS,
  parseCacheControl,
  servesOnError,
  staleKeepMs,
  staleUse,
  staleWindows,
} from '../../src/index';

describe('stale serving (RFC 5861)', () => {
  it('parses Cache-Control directives, lists and quoted values', () => {
    expect(parseCacheControl(['Max-Age=60, Stale-While-Revalidate="30"', 'public'])).toEqual({
      'max-age': '60',
      'stale-while-revalidate': '30',
      public: true,
    });
    expect(parseCacheControl(undefined)).toEqual({});
  });

  it('reads the windows, and none when the response forbids stale serving', () => {
    const windows = staleWindows('max-age=60, stale-while-revalidate=30, stale-if-error=300');
    expect(windows).toEqual({ whileRevalidateSeconds: 30, ifErrorSeconds: 300 });
    expect(staleKeepMs(windows)).toBe(300_000);
    expect(staleWindows('max-age=60, stale-if-error=300, must-revalidate')).toBe(NO_STALE_WINDOWS);
    expect(staleWindows('no-cache, stale-while-revalidate=30')).toBe(NO_STALE_WINDOWS);
    expect(staleWindows('stale-while-revalidate=abc')).toBe(NO_STALE_WINDOWS);
  });

  it('tells fresh, while-revalidate, if-error and expired apart', () => {
    const windows = { whileRevalidateSeconds: 10, ifErrorSeconds: 60 };
    expect(staleUse(-1, windows)).toBe('fresh');
    expect(staleUse(5_000, windows)).toBe('while-revalidate');
    expect(staleUse(10_000, windows)).toBe('if-error');
    expect(staleUse(60_001, windows)).toBe('expired');
    expect(staleUse(1, NO_STALE_WINDOWS)).toBe('expired');
  });

  it('serves on 500/502/503/504 within stale-if-error only', () => {
    const windows = { whileRevalidateSeconds: 0, ifErrorSeconds: 60 };
    expect(servesOnError(30_000, windows, 503)).toBe(true);
    expect(servesOnError(30_000, windows, 404)).toBe(false);
    expect(servesOnError(61_000, windows, 500)).toBe(false);
  });
});
