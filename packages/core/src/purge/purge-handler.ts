import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MomentoClient } from '../client/client';
import { InvalidArgumentError } from '../client/errors';
import type { CacheStore } from '../contract';
import type { CacheTargetOptions } from '../toolkit/cache-target';
import { checkWholeNumber } from '../toolkit/option-checks';
import { readBounded } from '../toolkit/read-bounded';
import { checkTagNamespace } from '../toolkit/tag-namespace';
import { checkPurgeTags, DEFAULT_PURGE_TIMEOUT_MS, purgeTags } from './purge-tags';
import { SecretCheck } from './secret-check';

/** Largest purge body read; a longer one is refused (413) before it is buffered. */
export const DEFAULT_PURGE_MAX_BODY_BYTES = 64 * 1024;

/** Options of {@link createPurgeHandler}. */
export interface PurgeHandlerOptions {
  /** The shared secret a caller presents (at least 16 characters). Keep it out of URLs and logs. */
  secret: string;
  /**
   * Header carrying the secret: `'authorization'` expects `Authorization: Bearer <secret>`; any
   * other name (e.g. `'x-purge-secret'`, what some CMSs can send) carries the secret as is.
   * @default 'authorization'
   */
  header?: string;
  /** The cache to purge in. @default client.cache(cacheName) */
  store?: CacheStore;
  /** @default createClient() from MOMENTO_API_KEY / MOMENTO_ENDPOINT */
  client?: MomentoClient;
  /** @default process.env.MOMENTO_CACHE_NAME ?? 'default-cache' */
  cacheName?: string;
  /** The tag namespace of the apps purged (core's `tagKeyPrefix`). @default the shared namespace */
  tagNamespace?: string;
  /** Larger bodies are answered 413 without being read. @default 65536 */
  maxBodyBytes?: number;
  /** Deadline of the tag writes; past it the answer is 503. @default 5000 */
  timeoutMs?: number;
  /** Purges the cache could not record (answered 503). @default console.warn of the message */
  onError?: (error: unknown) => void;
}

/** What a purge request gets back: a status and a JSON body. */
interface PurgeAnswer {
  status: number;
  body: Record<string, unknown> | undefined;
  headers?: Record<string, string>;
}

/** A Node `(req, res)` handler, with the same logic for fetch-style runtimes as `fetch`. */
export interface PurgeHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The same handler over the Fetch API (`Request` → `Response`): Next route handlers, Hono, Bun. */
  fetch(request: Request): Promise<Response>;
}

/** Thrown while reading a body past the limit. */
class TooLarge extends Error {}

/**
 * A purge endpoint for CMS webhooks, outside any app: `POST` with JSON `{ "tags": ["product:1"] }`
 * and the shared secret (`Authorization: Bearer <secret>` by default) invalidates those tags for
 * every package in `tagNamespace` (the same record every adapter reads). The secret is checked
 * (in constant time) before the body is read; a body over `maxBodyBytes` is refused from its
 * `Content-Length`, or as soon as it streams past the limit, never buffered whole.
 *
 * Answers: 200 `{ purged: [...] }`; 400 bad JSON or tags; 401 missing or wrong secret; 405 not
 * POST; 413 body too large; 503 the cache did not record the purge (retry: the CMS usually does).
 *
 * `resolveStore` turns the cache options into a store (the node entry's `createPurgeHandler`
 * passes its `resolveCacheTarget`, whose client uses undici).
 */
export function createPurgeHandlerWith(
  options: PurgeHandlerOptions,
  resolveStore: (target: CacheTargetOptions) => CacheStore,
): PurgeHandler {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('createPurgeHandler needs an options object with a secret');
  }
  const secret = new SecretCheck(options.secret);
  const header = (options.header ?? 'authorization').toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(header)) {
    throw new InvalidArgumentError(`header must be a header name, got ${JSON.stringify(header)}`);
  }
  const bearer = header === 'authorization';
  const maxBodyBytes = checkWholeNumber(
    'maxBodyBytes',
    options.maxBodyBytes ?? DEFAULT_PURGE_MAX_BODY_BYTES,
  );
  const timeoutMs = checkWholeNumber('timeoutMs', options.timeoutMs ?? DEFAULT_PURGE_TIMEOUT_MS);
  const tagNamespace =
    options.tagNamespace === undefined ? undefined : checkTagNamespace(options.tagNamespace);
  const onError =
    options.onError ??
    ((error: unknown) =>
      console.warn(`momento-http purge: not recorded: ${(error as Error)?.message ?? error}`));
  // Last: with no store or client this builds one from MOMENTO_API_KEY (its error names it).
  const store = resolveStore({
    store: options.store,
    client: options.client,
    cacheName: options.cacheName,
  });

  const presented = (value: string | null | undefined): string | undefined => {
    if (value == null) return undefined;
    if (!bearer) return value;
    const match = /^Bearer[ ]+(.+)$/i.exec(value);
    return match?.[1]?.trim();
  };

  /** Everything but reading the body: method, secret and declared length. */
  const precheck = (
    method: string | undefined,
    auth: string | undefined,
    length: string | null | undefined,
  ): PurgeAnswer | undefined => {
    if (method !== 'POST') {
      return { status: 405, body: { error: 'use POST' }, headers: { allow: 'POST' } };
    }
    if (!secret.matches(auth)) {
      return {
        status: 401,
        body: {
          error: `missing or wrong secret in the ${bearer ? 'Authorization: Bearer' : header} header`,
        },
        headers: bearer ? { 'www-authenticate': 'Bearer' } : {},
      };
    }
    if (length != null && Number(length) > maxBodyBytes) return tooLarge();
    return undefined;
  };
  const tooLarge = (): PurgeAnswer => ({
    status: 413,
    body: { error: `the body is over ${maxBodyBytes} bytes` },
    headers: { connection: 'close' },
  });

  /** The purge itself, once the body is read. */
  const purge = async (text: string): Promise<PurgeAnswer> => {
    let tags: string[];
    try {
      const body = JSON.parse(text) as { tags?: unknown } | null;
      tags = checkPurgeTags(body?.tags);
    } catch (error) {
      const reason =
        error instanceof SyntaxError ? 'the body is not JSON' : (error as Error).message;
      return { status: 400, body: { error: `${reason}; send {"tags": ["tag", ...]}` } };
    }
    try {
      await purgeTags({ store, tagNamespace, timeoutMs }, tags);
      return { status: 200, body: { purged: tags } };
    } catch (error) {
      onError(error);
      return { status: 503, body: { error: 'the cache did not record the purge; retry' } };
    }
  };

  const node = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = ({ status, body, headers }: PurgeAnswer) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body && JSON.stringify(body));
    };
    const early = precheck(
      req.method,
      presented(req.headers[header] as string | undefined),
      req.headers['content-length'],
    );
    if (early) {
      send(early);
      // The rest of the body is not read: the connection closes once the answer is out.
      if (early.status === 413 || !req.complete) res.on('finish', () => req.destroy());
      return;
    }
    // Mounted behind a body parser (express.json()), the stream is already read: use its result.
    const parsed = (req as { body?: unknown }).body;
    if (req.readableEnded && parsed !== undefined) {
      send(await purge(typeof parsed === 'string' ? parsed : JSON.stringify(parsed)));
      return;
    }
    let text: string;
    try {
      text = await readNodeBody(req, maxBodyBytes);
    } catch (error) {
      if (error instanceof TooLarge) {
        send(tooLarge());
        res.on('finish', () => req.destroy());
      } else {
        req.destroy(); // the client went away mid-body: nobody to answer
      }
      return;
    }
    send(await purge(text));
  };

  const fetchHandler = async (request: Request): Promise<Response> => {
    const early = precheck(
      request.method,
      presented(request.headers.get(header)),
      request.headers.get('content-length'),
    );
    // An early answer leaves the body unread: cancel it rather than buffer it.
    if (early) await request.body?.cancel().catch(() => {});
    const answer =
      early ??
      (await readFetchBody(request, maxBodyBytes).then(purge, (error: unknown) => {
        if (error instanceof TooLarge) return tooLarge();
        throw error;
      }));
    return new Response(answer.body && JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };

  return Object.assign(node, { fetch: fetchHandler });
}

/** The body as text, rejecting with TooLarge as soon as it passes `limit` bytes. */
function readNodeBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/** {@link readNodeBody} for a Fetch `Request`. */
async function readFetchBody(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const bytes = await readBounded(request.body, limit);
  if (bytes === undefined) throw new TooLarge();
  return new TextDecoder().decode(bytes);
}
