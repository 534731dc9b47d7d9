import { spawn } from 'node:child_process';
import { useLocalServer } from '@momento-http/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ITEM_BYTES, ItemTooLargeError, MomentoClient } from '../../src/index';
import { undiciTransport } from '../../src/node';

const t = useLocalServer();

describe('a value the client knows is too large', { timeout: 30_000 }, () => {
  it('one over-limit client.set throws ItemTooLargeError and makes no request', async () => {
    let requests = 0;
    const client = t.client({ hooks: { onRequest: () => requests++ } });
    const value = new Uint8Array(6 * 1024 * 1024);
    const error = await client.set('default-cache', 'big', value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ItemTooLargeError);
    expect((error as Error).message).toMatch(/over the 5000000-byte item limit \(not sent\)/);
    expect(requests).toBe(0);
    expect(await t.requestCount('cache_set', 413)).toBe(0);
  });

  it('the limit counts key + value: exactly at the limit is sent, one byte more is not', async () => {
    let requests = 0;
    const client = t.client({ hooks: { onRequest: () => requests++ } });
    const key = 'k'.repeat(10);
    await client.set('default-cache', key, new Uint8Array(DEFAULT_MAX_ITEM_BYTES - 10));
    expect(requests).toBe(1);
    await expect(
      client.set('default-cache', key, new Uint8Array(DEFAULT_MAX_ITEM_BYTES - 9)),
    ).rejects.toBeInstanceOf(ItemTooLargeError);
    // A multi-byte key counts its UTF-8 bytes.
    await expect(
      client.set('default-cache', 'é'.repeat(5), new Uint8Array(DEFAULT_MAX_ITEM_BYTES - 9)),
    ).rejects.toBeInstanceOf(ItemTooLargeError);
    expect(requests).toBe(1);
  });

  it('maxItemBytes moves the limit (a local server with a larger --max-item-size)', async () => {
    const client = t.client({ maxItemBytes: 10 });
    await expect(client.set('default-cache', 'k', 'x'.repeat(10))).rejects.toBeInstanceOf(
      ItemTooLargeError,
    );
    expect(() => t.client({ maxItemBytes: 0 })).toThrow(/maxItemBytes must be a positive number/);
  });
});

/**
 * A server that answers 413 as soon as the headers arrive and closes at once (what many servers
 * do, and what the local server did): in its own process, so the close races the upload as it
 * does for real. It prints its port, then one line per request it saw.
 */
const EARLY_413 = `
const { createServer } = require('node:http');
const server = createServer((req, res) => {
  process.stdout.write('request\\n');
  res.writeHead(413, { connection: 'close', 'content-type': 'text/plain', 'content-length': 8 });
  res.end('too big!');
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

// Megabytes go over loopback: on a loaded machine that takes longer than vitest's 5 s default.
describe('a write an early answer refused is never re-sent', { timeout: 30_000 }, () => {
  let child: ReturnType<typeof spawn>;
  let url: string;
  let seen = 0;
  beforeAll(async () => {
    child = spawn(process.execPath, ['-e', EARLY_413]);
    url = await new Promise<string>((resolve) => {
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          if (line === 'request') seen++;
          else resolve(`http://127.0.0.1:${line}`);
        }
      });
    });
  });
  afterAll(() => {
    child.kill();
  });

  for (const [name, transport] of [
    ['fetch', undefined],
    ['undici', undiciTransport()],
  ] as const) {
    it(`${name}: 10 over-limit uploads, each sent once, none retried`, async () => {
      let attempts = 0;
      const client = new MomentoClient({
        hooks: { onRequest: () => attempts++ },
        baseUrl: url,
        apiKey: 'any-key',
        env: {},
        retries: 3,
        // The server here refuses at 1 byte; the client's own check must not stop these.
        maxItemBytes: 64 * 1024 * 1024,
        transport,
      });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          client.set('c', `k${i}`, new Uint8Array(4 * 1024 * 1024)).then(
            () => 'stored',
            (e: Error & { status?: number; retryable?: boolean }) =>
              `${e.name} ${e.status ?? '-'} retryable=${e.retryable}`,
          ),
        ),
      );
      for (const result of results) {
        expect(result).toMatch(/^(ItemTooLargeError 413|ConnectionError -) retryable=false$/);
      }
      // Every call has settled, so every attempt it would make has been made.
      expect(attempts).toBe(10);
      await expect.poll(() => seen).toBeGreaterThan(0);
    });
  }
});
