import { afterAll, describe, expect, it } from 'vitest';
import { createHandler } from '../src/index.js';

/** The fetch-style handler runs the same protocol without a socket. */
const handler = createHandler({ maxItemBytes: 100 });
afterAll(() => handler.close());
const base = 'http://local/cache/default-cache';

describe('createHandler', () => {
  it('serves PUT/GET/DELETE with the documented statuses and bodies', async () => {
    const key = await handler.createApiKey();
    const headers = { authorization: key };
    const put = await handler(
      new Request(`${base}?key=a&ttl_seconds=5`, { method: 'PUT', headers, body: 'v' }),
    );
    expect(put.status).toBe(204);
    const get = await handler(new Request(`${base}?key=a`, { headers }));
    expect([get.status, await get.text()]).toEqual([200, 'v']);
    await handler(new Request(`${base}?key=a`, { method: 'DELETE', headers }));
    const miss = await handler(new Request(`${base}?key=a`, { headers }));
    expect([miss.status, await miss.text()]).toEqual([404, 'Key Not Found']);
    const unauth = await handler(new Request(`${base}?key=a`));
    expect(unauth.status).toBe(401);
  });

  it('stops reading a streamed body past the limit (413) and cancels the stream', async () => {
    const key = await handler.createApiKey();
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(40));
      },
      cancel() {
        cancelled = true;
      },
    });
    const res = await handler(
      new Request(`${base}?key=a&ttl_seconds=5`, {
        method: 'PUT',
        headers: { authorization: key },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });
});
