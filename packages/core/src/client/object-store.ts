/**
 * The object store: data plane (`/objectstore/{store}/{key…}`) and control plane
 * (`/objectstore`, `/objectstore/{store}`). Header auth only, as Momento requires.
 */
import type { CacheValue, CallOptions } from '../contract';
import { InvalidArgumentError } from './errors';
import { jsonBody, jsonHeaders, readJson } from './json';
import { namePath, objectKeyPath, valueBytes } from './keys';
import type {
  CreateOrUpdateResult,
  ObjectStoreConfig,
  ObjectStoreDescription,
  ObjectStoreSummary,
} from './object-store-types';
import { checkTtl } from './options';
import { type RequestContext, send } from './request';
import type { ResponseHeaders } from './transport';

/**
 * `mo-meta-*` names Momento blocks (and silently ignores); refused here so nobody loses
 * metadata without knowing. `access-control-*` is blocked as a family.
 */
export const BLOCKED_METADATA_NAMES: ReadonlySet<string> = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'trailer',
  'te',
  'set-cookie',
  'cookie',
  'authorization',
  'www-authenticate',
  'content-security-policy',
  'x-frame-options',
  'strict-transport-security',
  'host',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'via',
  'forwarded',
  'proxy-authorization',
  'proxy-authenticate',
  'mo-request-id',
]);

/** Response headers that are the protocol's, not stored metadata (metadata comes back unprefixed). */
const RESPONSE_ONLY = new Set([
  ...BLOCKED_METADATA_NAMES,
  'date',
  'server',
  'vary',
  'x-powered-by',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

export interface PutObjectOptions extends CallOptions {
  /** Seconds to keep the object. @default forever (durable), 600 (ephemeral) */
  ttlSeconds?: number;
  /** Stored as `mo-meta-<name>` and returned by `get`. Names are case-insensitive. */
  metadata?: Record<string, string>;
  /** S3 object tags (`mo-tag-<name>`), not returned by `get`. */
  tags?: Record<string, string>;
  /** `ephemeral` keeps the object in the cache only. @default 'durable' */
  persistence?: 'durable' | 'ephemeral';
}

export interface GetObjectOptions extends CallOptions {
  /** `consistent` reads from the primary cache node. @default 'balanced' */
  readConcern?: 'balanced' | 'consistent';
}

export interface StoredObject {
  body: Uint8Array;
  /** Stored metadata, names lower-case without the `mo-meta-` prefix. */
  metadata: Record<string, string>;
  /** `mo-request-id` of the read, for support requests. */
  requestId: string | undefined;
}

function prefixedHeaders(
  target: Record<string, string>,
  prefix: string,
  entries: Record<string, string> | undefined,
  what: string,
): void {
  if (!entries) return;
  for (const [rawName, value] of Object.entries(entries)) {
    const name = rawName.toLowerCase();
    if (!TOKEN.test(name))
      throw new InvalidArgumentError(`${what} name "${rawName}" is not a valid header name`);
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw new InvalidArgumentError(`${what} "${rawName}" must be a string without CR, LF or NUL`);
    }
    if (
      what === 'Metadata' &&
      (BLOCKED_METADATA_NAMES.has(name) || name.startsWith('access-control-'))
    ) {
      throw new InvalidArgumentError(
        `Metadata name "${rawName}" is blocked by Momento (protocol, security, CORS or proxy header) and would be dropped`,
      );
    }
    target[prefix + name] = value;
  }
}

function metadataOf(headers: ResponseHeaders): Record<string, string> {
  const metadata: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (!RESPONSE_ONLY.has(lower) && !lower.startsWith('access-control-')) metadata[lower] = value;
  });
  return metadata;
}

/** One object store's data plane. */
export class ObjectStore {
  readonly storeName: string;
  readonly #ctx: RequestContext;
  readonly #prefix: string;

  constructor(ctx: RequestContext, baseUrl: string, storeName: string) {
    this.#prefix = `${baseUrl}/objectstore/${namePath(storeName, 'Store name')}/`;
    this.storeName = storeName;
    this.#ctx = ctx;
  }

  /** Stores an object. Throws `StoreNotFoundError` for a missing store. */
  async put(key: string, body: CacheValue, options: PutObjectOptions = {}): Promise<void> {
    const headers: Record<string, string> = {
      ...this.#ctx.headers,
      'content-type': 'application/octet-stream',
    };
    prefixedHeaders(headers, 'mo-meta-', options.metadata, 'Metadata');
    prefixedHeaders(headers, 'mo-tag-', options.tags, 'Tag');
    if (options.persistence !== undefined) {
      if (options.persistence !== 'durable' && options.persistence !== 'ephemeral') {
        throw new InvalidArgumentError(`persistence must be 'durable' or 'ephemeral'`);
      }
      headers['mo-persistence'] = options.persistence;
    }
    let url = this.#prefix + objectKeyPath(key);
    if (options.ttlSeconds !== undefined) url += `?ttl_seconds=${checkTtl(options.ttlSeconds)}`;
    await send(this.#ctx, { method: 'PUT', url, headers, body: valueBytes(body) }, options);
  }

  /** The object with its metadata, or `undefined` if there is none. */
  async get(key: string, options: GetObjectOptions = {}): Promise<StoredObject | undefined> {
    const url = this.#prefix + objectKeyPath(key);
    const headers = options.readConcern
      ? { ...this.#ctx.headers, 'read-concern': options.readConcern }
      : undefined;
    const response = await send(
      this.#ctx,
      { method: 'GET', url, headers, missOn404: true },
      options,
    );
    if (!response) return undefined;
    return {
      body: response.body,
      metadata: metadataOf(response.headers),
      requestId: response.headers.get('mo-request-id') ?? undefined,
    };
  }

  /** Deletes an object; deleting a missing object succeeds. */
  async delete(key: string, options?: CallOptions): Promise<void> {
    await send(this.#ctx, { method: 'DELETE', url: this.#prefix + objectKeyPath(key) }, options);
  }
}

/** The object store control plane (super-user keys). */
export class ObjectStores {
  readonly #ctx: RequestContext;
  readonly #base: string;

  constructor(ctx: RequestContext, baseUrl: string) {
    this.#ctx = ctx;
    this.#base = `${baseUrl}/objectstore`;
  }

  /** Creates the store (201 → `created: true`) or updates it (200 → `created: false`). */
  async createOrUpdate(
    name: string,
    config: ObjectStoreConfig,
    options?: CallOptions,
  ): Promise<CreateOrUpdateResult> {
    const url = `${this.#base}/${namePath(name, 'Store name')}`;
    const headers = jsonHeaders(this.#ctx.headers);
    const response = (await send(
      this.#ctx,
      { method: 'PUT', url, headers, body: jsonBody(config) },
      options,
    ))!;
    return {
      created: response.status === 201,
      store: readJson<ObjectStoreDescription>(response, 'PUT', url),
    };
  }

  /** The store's configuration. Throws `StoreNotFoundError` if it does not exist. */
  async describe(name: string, options?: CallOptions): Promise<ObjectStoreDescription> {
    const url = `${this.#base}/${namePath(name, 'Store name')}`;
    const response = (await send(this.#ctx, { method: 'GET', url }, options))!;
    return readJson<ObjectStoreDescription>(response, 'GET', url);
  }

  /** Every store's name. */
  async list(options?: CallOptions): Promise<ObjectStoreSummary[]> {
    const response = (await send(this.#ctx, { method: 'GET', url: this.#base }, options))!;
    return readJson<{ object_stores: ObjectStoreSummary[] }>(response, 'GET', this.#base)
      .object_stores;
  }

  /** Deletes a store. Throws `StoreNotFoundError` if it does not exist. */
  async delete(name: string, options?: CallOptions): Promise<void> {
    const url = `${this.#base}/${namePath(name, 'Store name')}`;
    await send(this.#ctx, { method: 'DELETE', url }, options);
  }
}
