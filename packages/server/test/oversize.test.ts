import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ITEM_BYTES } from '../src/index.js';
import { startCli } from './cli-process.js';

// The server runs in its own process, as users run it: in one process with the client, the
// client's writes and the server's close interleave differently and the resets seldom show.
let cli: Awaited<ReturnType<typeof startCli>>;
let server: { url: string };
let key: string;
beforeAll(async () => {
  cli = await startCli(['--port', '0', '--dev-key', 'oversize-dev-key']);
  server = { url: cli.endpoint };
  key = cli.key;
}, 30_000);
afterAll(() => cli.stop());

const SIX_MIB = new Uint8Array(6 * 1024 * 1024);
const put = (path: string) => `${server.url}/cache/default-cache?key=${path}&ttl_seconds=60`;

// Megabytes go over loopback here: on a loaded machine that takes longer than vitest's 5 s default.
describe('an over-limit PUT gets a 413 the client can read', { timeout: 60_000 }, () => {
  it('20 concurrent fetch PUTs of 6 MiB all see the 413 and its message', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        try {
          const res = await fetch(put(`big-${i}`), {
            method: 'PUT',
            headers: { authorization: key },
            body: SIX_MIB,
          });
          return `${res.status} ${await res.text()}`;
        } catch (error) {
          return `failed: ${(error as Error & { cause?: Error }).cause?.message ?? error}`;
        }
      }),
    );
    const expected = `413 Item size limit exceeded: key + value must be at most ${DEFAULT_MAX_ITEM_BYTES} bytes`;
    expect(answers).toEqual(Array.from({ length: 20 }, () => expected));
    // And the server is still fine.
    const res = await fetch(put('small'), {
      method: 'PUT',
      headers: { authorization: key },
      body: 'ok',
    });
    expect(res.status).toBe(204);
  });

  it('a body too long to drain (40 MiB) still lets the client read its 413 (lingering close)', async () => {
    const res = await fetch(put('huge'), {
      method: 'PUT',
      headers: { authorization: key },
      body: new Uint8Array(40 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/^Item size limit exceeded/);
  });

  it('Expect: 100-continue with an over-limit Content-Length: 413 at once, no 100 Continue', async () => {
    const socket = await open();
    socket.write(
      head('PUT', '/cache/default-cache?key=big&ttl_seconds=60', {
        'content-length': String(SIX_MIB.length),
        expect: '100-continue',
      }),
    );
    const answer = await readAnswer(socket);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).not.toMatch(/100 Continue/);
    socket.destroy();
  });

  it('Expect: 100-continue with a fitting body: 100 Continue, then 204', async () => {
    const socket = await open();
    socket.write(
      head('PUT', '/cache/default-cache?key=fits&ttl_seconds=60', {
        'content-length': '5',
        expect: '100-continue',
      }),
    );
    expect(await readAnswer(socket)).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n$/);
    socket.write('hello');
    expect(await readAnswer(socket)).toMatch(/^HTTP\/1\.1 204 /);
    socket.destroy();
  });

  it('a refused body of known length is drained: the connection serves the next request', async () => {
    const socket = await open();
    const refused = head('PUT', '/cache/default-cache?key=big&ttl_seconds=60', {
      'content-length': String(SIX_MIB.length),
    });
    socket.write(refused);
    socket.write(SIX_MIB);
    socket.write(head('GET', '/healthz', {}));
    let answers = '';
    socket.setEncoding('latin1');
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (d: string) => {
        answers += d;
        if (/\r\n\r\nok$/.test(answers)) resolve();
      });
      socket.on('close', () => reject(new Error(`closed after: ${answers}`)));
    });
    expect(answers).toMatch(/^HTTP\/1\.1 413 [\s\S]*HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nok$/);
    socket.destroy();
  });
});

function open(): Promise<Socket> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

function head(method: string, path: string, headers: Record<string, string>): string {
  const lines = Object.entries({ host: 'localhost', authorization: key, ...headers }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  return `${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

/** The next chunk the server writes (each answer here arrives as one write). */
function readAnswer(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('data', (d) => resolve(d.toString('latin1')));
    socket.once('close', () => reject(new Error('closed without an answer')));
  });
}
