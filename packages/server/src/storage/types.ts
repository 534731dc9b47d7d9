/** Where cache items live. Memory answers synchronously; Redis returns promises. */
export interface ItemStore {
  get(cache: string, key: Buffer): Buffer | undefined | Promise<Buffer | undefined>;
  /** Stores an item; `false` when it can never fit (larger than the memory bound). */
  set(cache: string, key: Buffer, value: Buffer, ttlSeconds: number): boolean | Promise<boolean>;
  delete(cache: string, key: Buffer): void | Promise<void>;
  /** Accounted bytes, item count and evictions so far (for /metrics). */
  stats(): { bytes: number; items: number; evictions: number };
  close(): Promise<void>;
  /** Shared storage only: whether another process created this cache. */
  hasCache?(cache: string): Promise<boolean>;
  /** Shared storage only: records a cache so every process sees it. */
  addCache?(cache: string): Promise<void>;
}
