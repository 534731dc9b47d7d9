import { Deadline } from './deadline';

/** The first miss of a key: it produces the answer and must {@link settle} the flight. */
export interface FillLeader<V> {
  leader: true;
  /** Hands the answer (or `undefined`: none to share) to every waiting miss. Idempotent. */
  settle(value: V | undefined): void;
}

/** A concurrent miss of the same key: it may wait for the leader's answer. */
export interface FillFollower<V> {
  leader: false;
  /**
   * The leader's answer, or `undefined` when it has none or takes longer than `ms` (then answer
   * the request yourself). Never rejects.
   */
  wait(ms: number): Promise<V | undefined>;
}

/**
 * Single-flight of one response across concurrent misses in one process: the first miss of a key
 * leads (runs the handler), the others wait a bounded time for what it produced instead of
 * running the handler too. Unlike `SingleFlight`, the leader settles the flight itself, from
 * wherever the answer becomes known (a response's `finish`, an Observable's completion).
 *
 * @example
 * const fill = flights.join(key);
 * if (!fill.leader) { const entry = await fill.wait(5000); if (entry) return replay(entry); }
 * else try { fill.settle(await render()); } finally { fill.settle(undefined); }
 */
export class FillFlights<V> {
  readonly #pending = new Map<string, Promise<V | undefined>>();

  /** Leads the flight of `key` if none is in the air, or follows the one that is. */
  join(key: string): FillLeader<V> | FillFollower<V> {
    const pending = this.#pending.get(key);
    if (pending) {
      return {
        leader: false,
        wait: (ms) =>
          new Deadline(Math.max(1, ms), { operation: 'single flight' }).raceOr(pending, undefined),
      };
    }
    let resolve!: (value: V | undefined) => void;
    const promise = new Promise<V | undefined>((r) => {
      resolve = r;
    });
    this.#pending.set(key, promise);
    let settled = false;
    return {
      leader: true,
      settle: (value) => {
        if (settled) return;
        settled = true;
        if (this.#pending.get(key) === promise) this.#pending.delete(key);
        resolve(value);
      },
    };
  }

  /** Number of keys with a flight in the air. */
  get inFlight(): number {
    return this.#pending.size;
  }
}
