import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheControl, IsrValue } from './isr';

/** The kinds of entries `next build` leaves in `.next` for the `cacheHandler`. */
export type PrerenderedKind = 'APP_PAGE' | 'APP_ROUTE' | 'PAGES' | 'FETCH';

/** One entry of the build output, as Next's own file-system cache would hand it to a request. */
export interface PrerenderedEntry {
  /** The key Next passes to the cache handler's `get` for it. */
  key: string;
  kind: PrerenderedKind;
  /** The incremental-cache value: the fields Next's file-system cache reads from these files. */
  value: IsrValue;
  /** The lifetime Next gives the route (`revalidate`, `expire` in seconds). */
  cacheControl: CacheControl | undefined;
  /** When the build made it (epoch ms), dated as Next's file-system cache dates it. */
  lastModified: number;
  /** Bytes read from `.next` for it. */
  bytes: number;
}

/** An entry found in the build output, read on demand (one entry's bytes in memory at a time). */
export interface PrerenderedSource {
  /** The route (`/blog/a`), or `fetch-cache/<file>` for a fetch-cache entry. */
  name: string;
  kind: PrerenderedKind;
  load(): Promise<PrerenderedEntry>;
}

export interface BuildOutput {
  buildId: string;
  sources: PrerenderedSource[];
}

/** What `prerender-manifest.json` says of one prerendered route (the fields read here). */
interface RouteInfo {
  dataRoute?: string | null;
  initialRevalidateSeconds?: number | false;
  initialExpireSeconds?: number;
}

/** `<route>.meta` beside the prerendered files. */
interface RouteMeta {
  status?: number;
  headers?: Record<string, string | string[]>;
  postponed?: string;
  segmentPaths?: string[];
  cacheControl?: CacheControl;
  routeCacheLastModified?: number;
  routeCache?: { key?: string };
}

/** Thrown when `.next` is not the output of a finished `next build`. */
export class BuildOutputError extends Error {
  override name = 'BuildOutputError';
}

/** Next's file names for a route: `/` is `/index`, and a route under `/index` keeps its prefix. */
function pagePath(route: string): string {
  if (route === '/') return '/index';
  return /^\/index(\/|$)/.test(route) ? `/index${route}` : route;
}

/** A route's kind, as Next tells it from the manifest (`isRouteCacheOwner`). */
function kindOf(info: RouteInfo): Exclude<PrerenderedKind, 'FETCH'> {
  if (info.dataRoute === null || info.dataRoute === undefined) return 'APP_ROUTE';
  return info.dataRoute.endsWith('.json') ? 'PAGES' : 'APP_PAGE';
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

async function readMeta(base: string, required: boolean): Promise<RouteMeta> {
  try {
    return await readJson<RouteMeta>(`${base}.meta`);
  } catch (error) {
    if (required) throw error;
    return {};
  }
}

/** Reads one prerendered route the way Next's file-system cache does (Next 15.5, 16.x). */
async function loadRoute(
  serverDir: string,
  route: string,
  info: RouteInfo,
  kind: Exclude<PrerenderedKind, 'FETCH'>,
): Promise<PrerenderedEntry> {
  const base = join(serverDir, kind === 'PAGES' ? 'pages' : 'app', pagePath(route));
  const meta = await readMeta(base, kind !== 'PAGES');
  const primary = kind === 'APP_ROUTE' ? `${base}.body` : `${base}.html`;
  const { mtimeMs } = await stat(primary);
  let bytes = 0;
  const read = async (path: string) => {
    const data = await readFile(path);
    bytes += data.byteLength;
    return data;
  };
  let value: IsrValue;
  if (kind === 'APP_ROUTE') {
    value = { kind, body: await read(primary), headers: meta.headers, status: meta.status };
  } else if (kind === 'PAGES') {
    const html = (await read(primary)).toString('utf8');
    const pageData = JSON.parse((await read(`${base}.json`)).toString('utf8'));
    value = { kind, html, pageData, headers: meta.headers, status: meta.status };
  } else {
    const html = (await read(primary)).toString('utf8');
    // A partially prerendered page has no full RSC payload: Next resumes it from `postponed`.
    const rscData = meta.postponed == null ? await read(`${base}.rsc`) : undefined;
    let segmentData: Map<string, Buffer> | undefined;
    if (meta.segmentPaths) {
      segmentData = new Map();
      for (const segment of meta.segmentPaths) {
        try {
          segmentData.set(segment, await read(`${base}.segments${segment}.segment.rsc`));
        } catch {
          // As Next does: a segment it cannot read is served as a dynamic one.
        }
      }
    }
    value = {
      kind,
      html,
      rscData,
      postponed: meta.postponed,
      headers: meta.headers,
      status: meta.status,
      segmentData,
    };
  }
  const cacheControl: CacheControl = meta.cacheControl ?? {
    revalidate: info.initialRevalidateSeconds ?? false,
    expire: info.initialExpireSeconds,
  };
  return {
    // Next 15.5 and 16.3+ scope keys by route and record them here; earlier ones use the path.
    key: meta.routeCache?.key ?? pagePath(route),
    kind,
    value,
    cacheControl,
    lastModified: meta.routeCacheLastModified ?? Math.floor(mtimeMs),
    bytes,
  };
}

/** Fetch and `unstable_cache` entries the build left in `cache/fetch-cache` (none with a custom handler). */
async function fetchCacheSources(distDir: string): Promise<PrerenderedSource[]> {
  const dir = join(distDir, 'cache', 'fetch-cache');
  let files: string[];
  try {
    files = await readdir(dir);
  } catch {
    return [];
  }
  return files
    .filter((file) => /^[0-9a-f]{64}$/.test(file))
    .map((file) => ({
      name: `fetch-cache/${file}`,
      kind: 'FETCH' as const,
      async load() {
        const path = join(dir, file);
        const text = await readFile(path, 'utf8');
        const value = JSON.parse(text) as IsrValue;
        if (value?.kind !== 'FETCH') throw new BuildOutputError(`${file} is not a fetch entry`);
        const { mtimeMs } = await stat(path);
        return {
          key: file,
          kind: 'FETCH',
          value,
          cacheControl: undefined,
          lastModified: Math.floor(mtimeMs),
          bytes: Buffer.byteLength(text),
        };
      },
    }));
}

/**
 * The entries of a finished `next build` in `distDir` (`.next`) that a runtime render would store
 * through the `cacheHandler`: every prerendered route of `prerender-manifest.json` (app pages with
 * their RSC payload and Next 16 segment data, route handlers, pages-router pages) and fetch-cache
 * files. Fallback shells of dynamic routes are not entries of their own and are left out.
 */
export async function readBuildOutput(distDir: string): Promise<BuildOutput> {
  let buildId: string;
  let routes: Record<string, RouteInfo>;
  try {
    buildId = (await readFile(join(distDir, 'BUILD_ID'), 'utf8')).trim();
    routes = (
      await readJson<{ routes: Record<string, RouteInfo> }>(
        join(distDir, 'prerender-manifest.json'),
      )
    ).routes;
  } catch (error) {
    throw new BuildOutputError(
      `${distDir} holds no finished build (BUILD_ID and prerender-manifest.json): run next build first (${(error as Error).message})`,
    );
  }
  const serverDir = join(distDir, 'server');
  const sources: PrerenderedSource[] = Object.entries(routes).map(([route, info]) => {
    const kind = kindOf(info);
    return { name: route, kind, load: () => loadRoute(serverDir, route, info, kind) };
  });
  sources.push(...(await fetchCacheSources(distDir)));
  return { buildId, sources };
}
