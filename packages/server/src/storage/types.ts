/**
 * A cache key as the stores see it: its bytes, and the same bytes as a latin1 string (one char per
 * byte, what the memory store's Map is keyed by). Each form is made from the other only when first
 * asked for, so a plain ASCII `key=` never becomes a Buffer in memory mode.
 */
export class ItemKey {
  #bytes: Buffer | undefined;
  #id: string | undefined;

  private constructor(bytes: Buffer | undefined, id: string | undefined) {
    this.#bytes = bytes;
    this.#id = id;
  }

  static ofBytes(bytes: Buffer): ItemKey {
    return new ItemKey(bytes, undefined);
  }

  /** A key given as text: ASCII text is its own latin1 form (UTF-8 = latin1 below 0x80). */
  static ofText(text: string): ItemKey {
    return ASCII.test(text)
      ? new ItemKey(undefined, text)
      : new ItemKey(Buffer.from(text, 'utf8'), undefined);
  }

  get bytes(): Buffer {
    this.#bytes ??= Buffer.from(this.#id!, 'latin1');
    return this.#bytes;
  }

  /** The bytes as a latin1 string. */
  get id(): string {
    this.#id ??= this.#bytes!.toString('latin1');
    return this.#id;
  }

  /** Length in bytes. */
  get length(): number {
    return this.#bytes === undefined ? this.#id!.length : this.#bytes.length;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: every ASCII byte, controls included
const ASCII = /^[\x00-\x7f]*$/;

/** Where cache items live. Memory answers synchronously; Redis returns promises. */
export interface ItemStore {
  get(cache: string, key: ItemKey): Buffer | undefined | Promise<Buffer | undefined>;
  /** Stores an item; `false` when it can never fit (larger than the memory bound). */
  set(cache: string, key: ItemKey, value: Buffer, ttlSeconds: number): boolean | Promise<boolean>;
  delete(cache: string, key: ItemKey): void | Promise<void>;
  /** Accounted bytes, item count and evictions so far (for /metrics). */
  stats(): { bytes: number; items: number; evictions: number };
  close(): Promise<void>;
  /** Shared storage only: whether another process created this cache. */
  hasCache?(cache: string): Promise<boolean>;
  /** Shared storage only: records a cache so every process sees it. */
  addCache?(cache: string): Promise<void>;
}
