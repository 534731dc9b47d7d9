/**
 * The built default entry inside workerd (Cloudflare's runtime, through miniflare): get / set /
 * delete against the real local server. Proves the default entry needs nothing beyond web standards.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useLocalServer } from '@momento-http/test-kit';
import { Miniflare } from 'miniflare';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageBuild } from '../../../../tsup.base';

const t = useLocalServer();
const coreRoot = fileURLToPath(new URL('../../', import.meta.url));

const WORKER = `
import { createClient, CacheNotFoundError } from './core.js';
export default {
  async fetch(request, env) {
    const client = createClient({ baseUrl: env.BASE_URL, apiKey: env.API_KEY, retries: 0 });
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const out = {};
    await client.set('default-cache', 'workerd-key/ü', 'from workerd', { ttlSeconds: 60 });
    out.text = new TextDecoder().decode(await client.get('default-cache', 'workerd-key/ü'));
    await client.set('default-cache', bytes, bytes);
    const back = await client.get('default-cache', bytes);
    out.bytesOk = back.length === 256 && back.every((b, i) => b === i);
    await client.delete('default-cache', 'workerd-key/ü');
    out.afterDelete = (await client.get('default-cache', 'workerd-key/ü')) === undefined;
    try { await client.get('no-such-cache', 'k'); } catch (e) { out.error = e instanceof CacheNotFoundError; }
    out.hasProcess = typeof globalThis.process !== 'undefined';
    return Response.json(out);
  },
};`;

let mf: Miniflare | undefined;
let outDir: string;

beforeAll(async () => {
  // Build the default entry exactly as the package build does (ESM, no types) into a temp dir.
  outDir = await mkdtemp(join(tmpdir(), 'core-workerd-'));
  await build({
    ...packageBuild({ core: join(coreRoot, 'src/index.ts') }),
    format: ['esm'],
    dts: false,
    sourcemap: false,
    outDir,
    silent: true,
    config: false,
  });
  const core = await readFile(join(outDir, 'core.js'), 'utf8');
  mf = new Miniflare({
    compatibilityDate: '2025-01-01',
    modules: [
      { type: 'ESModule', path: 'worker.js', contents: WORKER },
      { type: 'ESModule', path: 'core.js', contents: core },
    ],
    bindings: { BASE_URL: t.server.url, API_KEY: t.apiKey },
  });
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('built core in workerd', () => {
  it('does get / set / delete against the local server', async () => {
    const response = await mf!.dispatchFetch('http://localhost/');
    const body = await response.json();
    expect(body).toEqual({
      text: 'from workerd',
      bytesOk: true,
      afterDelete: true,
      error: true,
      hasProcess: false,
    });
  }, 30_000);
});
