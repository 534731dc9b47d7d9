import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A stored object: its bytes, its metadata (names without `mo-meta-`), its deadline. */
export interface StoredObject {
  body: Buffer;
  metadata: Record<string, string>;
  /** Epoch ms; `undefined` never expires. */
  expiresAt: number | undefined;
}

/** Where object bodies live. */
export interface ObjectBodies {
  get(store: string, key: string): Promise<StoredObject | undefined>;
  put(store: string, key: string, object: StoredObject): Promise<void>;
  delete(store: string, key: string): Promise<void>;
  /** Drops every object of a store (when the store is deleted). */
  deleteStore(store: string): Promise<void>;
}

const live = (o: StoredObject | undefined): StoredObject | undefined =>
  o !== undefined && (o.expiresAt === undefined || o.expiresAt > Date.now()) ? o : undefined;

/** Object bodies in memory. */
export class MemoryObjectBodies implements ObjectBodies {
  readonly #stores = new Map<string, Map<string, StoredObject>>();

  async get(store: string, key: string) {
    const objects = this.#stores.get(store);
    const found = live(objects?.get(key));
    if (found === undefined) objects?.delete(key);
    return found;
  }

  async put(store: string, key: string, object: StoredObject) {
    let objects = this.#stores.get(store);
    if (objects === undefined) {
      objects = new Map();
      this.#stores.set(store, objects);
    }
    objects.set(key, object);
  }

  async delete(store: string, key: string) {
    this.#stores.get(store)?.delete(key);
  }

  async deleteStore(store: string) {
    this.#stores.delete(store);
  }
}

/**
 * Object bodies on disk: `<dir>/objects/<store>/<sha256(key)>.bin` plus a `.json` with the key,
 * metadata and deadline. Hashing the key keeps any key (`..`, `/`, very long) a safe file name.
 * Writes go to a temp file and are renamed into place, so a reader never sees half an object.
 */
export class DirectoryObjectBodies implements ObjectBodies {
  readonly #root: string;

  constructor(dataDir: string) {
    this.#root = join(dataDir, 'objects');
  }

  #path(store: string, key: string): string {
    return join(this.#root, store, createHash('sha256').update(key).digest('hex'));
  }

  async get(store: string, key: string) {
    const path = this.#path(store, key);
    let meta: { key: string; metadata: Record<string, string>; expiresAt?: number };
    let body: Buffer;
    try {
      meta = JSON.parse(await readFile(`${path}.json`, 'utf8'));
      body = await readFile(`${path}.bin`);
    } catch {
      return undefined;
    }
    const found = live({ body, metadata: meta.metadata, expiresAt: meta.expiresAt });
    if (found === undefined) await this.delete(store, key);
    return found;
  }

  async put(store: string, key: string, object: StoredObject) {
    const path = this.#path(store, key);
    await mkdir(join(this.#root, store), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(`${tmp}.bin`, object.body);
    await writeFile(
      `${tmp}.json`,
      JSON.stringify({ key, metadata: object.metadata, expiresAt: object.expiresAt }),
    );
    await rename(`${tmp}.bin`, `${path}.bin`);
    await rename(`${tmp}.json`, `${path}.json`);
  }

  async delete(store: string, key: string) {
    const path = this.#path(store, key);
    await rm(`${path}.json`, { force: true });
    await rm(`${path}.bin`, { force: true });
  }

  async deleteStore(store: string) {
    await rm(join(this.#root, store), { recursive: true, force: true });
  }
}
