/** RFC 9211 Cache-Status, the one format the Express middleware and Nest's interceptor share. */
import { describe, expect, it } from 'vitest';
import {
  appendCacheStatus,
  formatCacheStatus,
  isCacheStatusName,
} from '../../src/toolkit/cache-status';

describe('Cache-Status', () => {
  it('writes the parameters in RFC 9211 order, ttl rounded', () => {
    expect(formatCacheStatus('momento-http', { hit: true, ttl: 41.6 })).toBe(
      'momento-http; hit; ttl=42',
    );
    expect(
      formatCacheStatus('c', { fwd: 'uri-miss', fwdStatus: 200, stored: true, collapsed: true }),
    ).toBe('c; fwd=uri-miss; fwd-status=200; stored; collapsed');
  });

  it('adds our member after those already present (caches nearer the origin first)', () => {
    expect(appendCacheStatus(undefined, 'us; hit')).toBe('us; hit');
    expect(appendCacheStatus('origin; hit', 'us; hit')).toBe('origin; hit, us; hit');
    expect(appendCacheStatus(['a', 'b'], 'us')).toBe('a, b, us');
  });

  it('accepts structured-field tokens only as names', () => {
    expect(isCacheStatusName('momento-http')).toBe(true);
    expect(isCacheStatusName('two words')).toBe(false);
    expect(isCacheStatusName('1st')).toBe(false);
  });
});
