import type { CacheKey, CacheStore } from '../../src/contract';

export const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : new TextDecoder().decode(bytes);

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Byte equality without vitest's element-by-element deep equal (slow on large arrays). */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return a === b;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Hex SHA-256, to compare large values cheaply. */
export async function digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(
    await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A store that records calls and can hold them (TODO: move these tests onto the kit's RecordingStore). */
export function instrument(inner: CacheStore) {
  const calls = { get: [] as CacheKey[], set: [] as CacheKey[], delete: [] as CacheKey[] };
  const hold: { get?: Promise<void>; set?: Promise<void>; delete?: Promise<void> } = {};
  const store: CacheStore = {
    cacheName: inner.cacheName,
    async get(key, opts) {
      calls.get.push(key);
      const gate = hold.get;
      const value = await inner.get(key, opts);
      if (gate) await gate;
      return value;
    },
    async set(key, value, opts) {
      calls.set.push(key);
      if (hold.set) await hold.set;
      return inner.set(key, value, opts);
    },
    async delete(key, opts) {
      calls.delete.push(key);
      if (hold.delete) await hold.delete;
      return inner.delete(key, opts);
    },
  };
  return { store, calls, hold };
}
