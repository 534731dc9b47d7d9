import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exec } from './processes';
import { get, type Page } from './requests';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Runs `momento-http-next seed` (the built bin) in the app's directory. */
export function runSeed(dir: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  return exec(process.execPath, [cli, 'seed', ...args], dir, env);
}

/** The build's prerendered routes a visitor requests (Next's own `/_…` routes left out). */
export function prerenderedRoutes(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(`${dir}/.next/prerender-manifest.json`, 'utf8')) as {
    routes: Record<string, unknown>;
  };
  return Object.keys(manifest.routes).filter((route) => !route.startsWith('/_'));
}

/** What the build wrote for a page's segment prefetch (Next 16). */
export function builtSegment(dir: string, route: string, segment: string): Buffer {
  return readFileSync(`${dir}/.next/server/app${route}.segments${segment}.segment.rsc`);
}

/**
 * A Next 16 segment prefetch of `route` (the router's headers; Next answers the first request
 * with a redirect to the URL carrying its `_rsc` cache-busting parameter, which fetch follows).
 */
export async function segmentPrefetch(
  base: string,
  route: string,
  segment: string,
): Promise<Page & { bytes: Buffer }> {
  const headers = {
    RSC: '1',
    'next-router-prefetch': '1',
    'next-router-segment-prefetch': segment,
  };
  const res = await fetch(base + route, { headers, signal: AbortSignal.timeout(20_000) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return {
    status: res.status,
    cache: res.headers.get('x-nextjs-cache'),
    body: bytes.toString('utf8'),
    headers: res.headers,
    bytes,
  };
}

export { get };
