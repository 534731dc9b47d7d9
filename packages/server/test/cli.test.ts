import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@momento-http/core';
import { describe, expect, it } from 'vitest';
import { FLAGS, KEY_FLAGS } from '../src/cli/args.js';
import { runCli, startCli } from './cli-process.js';
import { call } from './helpers.js';

/** The claims of a key (the CLI's keys are JWTs). */
const decode = (key: string) =>
  JSON.parse(Buffer.from(key.trim().split('.')[1]!, 'base64url').toString('utf8')) as {
    iat: number;
    exp: number;
    p: object;
  };

// Each spawn compiles the CLI with tsx (about a second), hence the longer timeout.
describe('momento-http-server CLI (real process)', { timeout: 30_000 }, () => {
  it('prints a working super-user key and the two export lines; SIGTERM shuts down cleanly', async () => {
    const cli = await startCli(['--port', '0', '--cache', 'a', '--cache', 'b']);
    expect(cli.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const server = { url: cli.endpoint };
    expect(
      (
        await call(server, '/cache/a?key=k&ttl_seconds=9', {
          method: 'PUT',
          key: cli.key,
          body: 'v',
        })
      ).status,
    ).toBe(204);
    expect((await call(server, '/cache/b?key=k', { key: cli.key })).body).toBe('Key Not Found');
    expect((await call(server, '/cache/default-cache?key=k', { key: cli.key })).body).toBe(
      'Cache Not Found',
    );
    expect(await cli.stop('SIGTERM')).toBe(0);
  });

  it('key create mints scoped keys the server accepts (shared --secret)', async () => {
    const env = { MOMENTO_HTTP_SERVER_SECRET: 'team-secret-123' };
    const ro = await runCli(
      ['key', 'create', '--role', 'readonly', '--cache', 'default-cache', '--expires-in', '1h'],
      env,
    );
    expect(ro.code).toBe(0);
    const key = ro.stdout.trim();
    const cli = await startCli(['--port', '0'], env);
    const server = { url: cli.endpoint };
    expect((await call(server, '/cache/default-cache?key=k', { key })).status).toBe(404);
    expect(
      (
        await call(server, '/cache/default-cache?key=k&ttl_seconds=5', {
          method: 'PUT',
          key,
          body: 'v',
        })
      ).status,
    ).toBe(403);
    expect(await cli.stop('SIGINT')).toBe(0);
  });

  it('the printed key expires in 24 h, says so, and survives a restart (default secret file)', async () => {
    const state = await mkdtemp(join(tmpdir(), 'momento-state-'));
    try {
      const env = { XDG_STATE_HOME: state };
      const first = await startCli(['--port', '0'], env);
      expect(first.stdout()).toMatch(/development key, valid for 24 h \(until \d{4}-\d\d-\d\dT/);
      expect(first.stdout()).toContain(join(state, 'momento-http-server', 'signing-secret'));
      expect(first.stdout()).toContain('key create --expires-in never');
      const claims = decode(first.key);
      expect(claims.exp - claims.iat).toBe(86_400);
      await first.stop();
      // `key create` with no secret flags signs with the same default secret.
      const minted = (await runCli(['key', 'create', '--role', 'readonly'], env)).stdout.trim();
      const second = await startCli(['--port', '0'], env);
      for (const key of [first.key, minted]) {
        const r = await call({ url: second.endpoint }, '/cache/default-cache?key=k', { key });
        expect(r.status).toBe(404);
      }
      await second.stop();
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });

  it('key create: 24 h by default, never only when asked, object-store keys', async () => {
    const env = { MOMENTO_HTTP_SERVER_SECRET: 'team-secret-123' };
    const byDefault = decode((await runCli(['key', 'create'], env)).stdout.trim());
    expect(byDefault.exp - byDefault.iat).toBe(86_400);
    const never = decode((await runCli(['key', 'create', '--expires-in', 'never'], env)).stdout);
    expect(never.exp).toBeUndefined();
    const store = decode(
      (
        await runCli(
          ['key', 'create', '--role', 'readonly', '--object-store', 'assets', '--expires-in', '1h'],
          env,
        )
      ).stdout,
    );
    expect(store.p).toEqual({ r: 'readonly', os: 'assets' });
    const both = await runCli(
      ['key', 'create', '--role', 'readonly', '--object-store', 'a', '--cache', 'b'],
      env,
    );
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/exclude each other/)]);
  });

  it('key create --v1 prints a key the client uses on its own (issue 17, point 4)', async () => {
    const env = { MOMENTO_HTTP_SERVER_SECRET: 'team-secret-123' };
    // The default --endpoint is the default local server, read by the client as plain HTTP.
    const byDefault = (await runCli(['key', 'create', '--v1'], env)).stdout.trim();
    expect(createClient({ env: { MOMENTO_API_KEY: byDefault } }).baseUrl).toBe(
      'http://127.0.0.1:4545',
    );
    // Against a running server (on a free port here): the key alone, no MOMENTO_ENDPOINT.
    const cli = await startCli(['--port', '0'], env);
    try {
      const hostPort = cli.endpoint.replace('http://', '');
      const v1 = await runCli(['key', 'create', '--v1', '--endpoint', hostPort], env);
      const client = createClient({ env: { MOMENTO_API_KEY: v1.stdout.trim() } });
      await client.set('default-cache', 'k', 'v1 works');
      expect(new TextDecoder().decode(await client.get('default-cache', 'k'))).toBe('v1 works');
    } finally {
      expect(await cli.stop('SIGTERM')).toBe(0);
    }
  });

  it('keys survive a restart with --data-dir (the secret is persisted there)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'momento-cli-'));
    try {
      const first = await startCli(['--port', '0', '--data-dir', dir]);
      await first.stop();
      const minted = (
        await runCli(['key', 'create', '--data-dir', dir, '--role', 'readwrite'])
      ).stdout.trim();
      const second = await startCli(['--port', '0', '--data-dir', dir]);
      for (const key of [first.key, minted]) {
        expect(
          (await call({ url: second.endpoint }, '/cache/default-cache?key=k', { key })).status,
        ).toBe(404);
      }
      await second.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--config reads a JSON file; flags win over it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'momento-cfg-'));
    try {
      const file = join(dir, 'server.json');
      await writeFile(
        file,
        JSON.stringify({ port: 0, caches: ['from-file'], maxTtl: 10, devKey: 'config-dev-key-1' }),
      );
      const cli = await startCli(['--config', file, '--max-ttl', '20']);
      const server = { url: cli.endpoint };
      expect(cli.key).toBe('config-dev-key-1');
      const put = (ttl: number) =>
        call(server, `/cache/from-file?key=k&ttl_seconds=${ttl}`, {
          method: 'PUT',
          key: cli.key,
          body: 'v',
        });
      expect((await put(20)).status).toBe(204);
      expect((await put(21)).status).toBe(400);
      await cli.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a port in use: one clear line on stderr, exit code 1, no stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const result = await runCli(['--port', String(port)]);
    blocker.close();
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `momento-http-server: port ${port} is already in use on 127.0.0.1 (choose another with --port)`,
    ]);
  });

  it('--help lists every flag; bad flags exit 2 with one line', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [...Object.keys(FLAGS), ...Object.keys(KEY_FLAGS)])
      expect(help.stdout).toContain(`--${flag}`);
    const bad = await runCli(['--max-memory', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const exposed = await runCli([
      '--host',
      '0.0.0.0',
      '--dev-key',
      'dev-key-123456',
      '--port',
      '0',
    ]);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toMatch(/loopback/);
  });
});
