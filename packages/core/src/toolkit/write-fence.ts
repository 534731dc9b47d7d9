import { BoundedMap } from './bounded-map';
import { checkWholeNumber } from './option-checks';

/** Keys whose last write is remembered; past it the oldest is forgotten and raises the floor. */
const DEFAULT_MAX_TRACKED_KEYS = 10_000;

/**
 * The fencing rule of every near cache in the project, in one place: a read may put what it found
 * into a near cache only if no write to the same key began or ended since the read began.
 * Otherwise a read that raced a write could leave the older value behind, served from memory
 * until its TTL even though this very process wrote a newer one.
 *
 * Each write is marked twice, as it starts and as it ends: a read that began while the write was
 * in flight may carry either value, so it must not fill either. Only the newest write of a key
 * (by start) may put its own value near when it ends; an older one ending late must not. Tokens are one counter per fence;
 * the memory kept is two numbers per recently written key, bounded by `maxTrackedKeys` (past it
 * the fence forgets the key written longest ago and refuses every read that began before that
 * key's last mark, which is safe: those reads just do not fill).
 *
 * @example
 * const fence = new WriteFence();
 * const token = fence.beginRead();
 * const value = await store.get(key);
 * if (fence.mayFill(key, token)) near.set(key, value);
 */
export class WriteFence {
  /** Per key: the newest mark (any write starting or ending), and the newest write start. */
  readonly #marks: BoundedMap<string, { last: number; start: number }>;
  #seq = 0;
  /** Reads that began before this token may not fill at all (set by `fenceAll` and on overflow). */
  #floor = 0;

  constructor(maxTrackedKeys = DEFAULT_MAX_TRACKED_KEYS) {
    checkWholeNumber('maxTrackedKeys', maxTrackedKeys);
    this.#marks = new BoundedMap(maxTrackedKeys, {
      // A forgotten key may have been written after reads still in flight: refuse them all.
      onEvict: (_, marks) => {
        this.#floor = Math.max(this.#floor, marks.last);
      },
    });
  }

  /** A token for a read starting now; pass it to {@link mayFill}. */
  beginRead(): number {
    return this.#seq;
  }

  /** Whether a read that began with `token` may still fill `id`: nothing wrote `id` since. */
  mayFill(id: string, token: number): boolean {
    return token >= this.#floor && (this.#marks.get(id)?.last ?? 0) <= token;
  }

  /** Marks a write of `id` starting: reads of `id` that began before may no longer fill. Returns the write's token. */
  beginWrite(id: string): number {
    const token = ++this.#seq;
    this.#marks.delete(id); // re-inserted at the young end: the oldest write is evicted first
    this.#marks.set(id, { last: token, start: token });
    return token;
  }

  /**
   * Marks the write that got `token` ending (reads that began while it was in flight may carry
   * either value, so they may not fill either). Returns whether it is still the newest write of
   * `id`: only then may its value be kept.
   */
  endWrite(id: string, token: number): boolean {
    const start = this.#marks.get(id)?.start ?? -1;
    this.#touch(id, start);
    return start === token;
  }

  /** Fences reads of `id` in flight without starting a write (someone else changed it). */
  mark(id: string): void {
    this.#touch(id, this.#marks.get(id)?.start ?? -1);
  }

  /** Fences every read in flight, of every key (a clear of the whole cache). */
  fenceAll(): void {
    this.#marks.clear();
    this.#floor = ++this.#seq;
  }

  /** A new mark of `id`, keeping `start` (the write still allowed to keep its value). */
  #touch(id: string, start: number): void {
    const last = ++this.#seq;
    this.#marks.delete(id);
    this.#marks.set(id, { last, start });
  }
}
