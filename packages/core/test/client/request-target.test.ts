/** The URL split the undici transport uses must agree with a WHATWG URL parser on every input. */
import { describe, expect, it } from 'vitest';
import { requestTarget } from '../../src/client/request-target';

/** What `undici.request(url)` itself derives from a URL. */
function viaUrl(url: string): { origin: string; path: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

describe('requestTarget', () => {
  const urls = [
    'http://127.0.0.1:4545/cache/default-cache?key=hot-1',
    'http://127.0.0.1:4545/cache/default-cache?key=a&ttl_seconds=60',
    'https://api.cache.cell-4-us-west-2-1.prod.a.momentohq.com/cache/c?key_base64=AAEC_-8',
    'HTTP://LOCALHOST:80/cache/c?key=k',
    'https://Example.COM:443/objectstore/s/a%2Fb/c.txt',
    'http://[::1]:4545/cache/c?key=k',
    'http://host/prefix/cache/c?key=k',
    'http://host',
    'http://host?key=/x',
    'http://host#frag/x',
    'http://host\\cache/c?key=k',
    'http://user:pass@host/cache/c?key=k',
    'http://host/a/./b?key=k',
    'http://host/a/../b',
    'http://host/a/%2E%2e/b',
    'http://host/a/..',
    'http://host/a/.hidden/..x?key=..',
    'http://host/cache/c?key=k#fragment',
    'http://host/cache/c?key=a b',
    'http://host/cache/c?key="<>\'',
    'http://host/cache/ü?key=ü',
    'http://host/cache/c?key=k%20&x=`{}|^',
    'http://host/cache/c?',
  ];
  for (const url of urls) {
    it(`agrees with URL on ${url}`, () => {
      expect(requestTarget(url)).toEqual(viaUrl(url));
    });
  }

  it('refuses what is not an absolute http(s) URL', () => {
    expect(() => requestTarget('/cache/c?key=k')).toThrow(TypeError);
    expect(() => requestTarget('ftp://host/cache/c?key=k')).toThrow(TypeError);
    expect(() => requestTarget('file:///etc/passwd')).toThrow(TypeError);
  });
});
