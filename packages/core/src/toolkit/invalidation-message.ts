/**
 * The wire format of near-cache invalidations on a topic: compact JSON text, versioned, checked on
 * the way in. One message carries what one process changed in one tick:
 *
 * `{"v":1,"o":"<origin>","k":["<id>",…],"t":["<tag>",…],"c":1}`
 *
 * - `v`: the format version. Another version is not understood: it is malformed here (a newer
 *   process may say something this one cannot act on, so it must not trust its near copies).
 * - `o`: the publishing bus (random per process and topic), so a process skips its own messages.
 * - `k`: near-cache ids (final store keys) written or deleted; `t`: tags invalidated; `c`: the
 *   whole scope was cleared. All optional; a message with none is a heartbeat.
 */

/** The version this code writes and understands. */
export const INVALIDATION_FORMAT_VERSION = 1;
/**
 * The largest message published, in UTF-16 code units of its JSON (about its bytes for ASCII
 * keys): a tick that changed more is split into several messages.
 */
export const MAX_INVALIDATION_MESSAGE_CHARS = 64 * 1024;
/** Origins are short random ids; anything longer is not ours. */
const MAX_ORIGIN_LENGTH = 64;

/** One process's changes in one tick. */
export interface Invalidation {
  /** Who published it (an {@link InvalidationBus}'s id). */
  origin: string;
  /** Near-cache ids changed (written or deleted). */
  keys: string[];
  /** Tags invalidated. */
  tags: string[];
  /** The whole scope was cleared: drop everything. */
  clear: boolean;
}

/** A topic message that is not an invalidation this version understands. Reported, then ignored. */
export class MalformedInvalidationError extends Error {
  override name = 'MalformedInvalidationError';
}

/**
 * The messages announcing `change`: one when it fits {@link MAX_INVALIDATION_MESSAGE_CHARS}, else
 * keys and tags spread over as many as needed (the clear goes with the first).
 */
export function encodeInvalidations(change: Invalidation): string[] {
  const head = `{"v":${INVALIDATION_FORMAT_VERSION},"o":${JSON.stringify(change.origin)}`;
  const messages: string[] = [];
  let keys: string[] = [];
  let tags: string[] = [];
  let clear = change.clear;
  let size = head.length + 16;
  const flush = () => {
    messages.push(message(head, keys, tags, clear));
    keys = [];
    tags = [];
    clear = false;
    size = head.length + 16;
  };
  for (const [list, into] of [
    [change.keys, 'k'],
    [change.tags, 't'],
  ] as const) {
    for (const item of list) {
      const cost = JSON.stringify(item).length + 1;
      if (size + cost > MAX_INVALIDATION_MESSAGE_CHARS && keys.length + tags.length > 0) flush();
      (into === 'k' ? keys : tags).push(item);
      size += cost;
    }
  }
  if (keys.length + tags.length > 0 || clear || messages.length === 0) flush();
  return messages;
}

function message(head: string, keys: string[], tags: string[], clear: boolean): string {
  let text = head;
  if (keys.length > 0) text += `,"k":${JSON.stringify(keys)}`;
  if (tags.length > 0) text += `,"t":${JSON.stringify(tags)}`;
  if (clear) text += ',"c":1';
  return `${text}}`;
}

/**
 * Reads one topic message.
 * @throws MalformedInvalidationError saying what is wrong: not text, not JSON, another version,
 *   a field of the wrong shape.
 */
export function decodeInvalidation(value: string | Uint8Array): Invalidation {
  if (typeof value !== 'string') {
    throw new MalformedInvalidationError('invalidation message is binary, expected JSON text');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new MalformedInvalidationError('invalidation message is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MalformedInvalidationError('invalidation message is not a JSON object');
  }
  const { v, o, k, t, c } = parsed as Record<string, unknown>;
  if (v !== INVALIDATION_FORMAT_VERSION) {
    throw new MalformedInvalidationError(
      `invalidation message has format version ${JSON.stringify(v)}, this process reads ${INVALIDATION_FORMAT_VERSION}`,
    );
  }
  if (typeof o !== 'string' || o.length === 0 || o.length > MAX_ORIGIN_LENGTH) {
    throw new MalformedInvalidationError('invalidation message has no valid origin ("o")');
  }
  if (c !== undefined && c !== 1 && c !== 0 && typeof c !== 'boolean') {
    throw new MalformedInvalidationError(
      'invalidation message has a clear flag ("c") that is not 0/1',
    );
  }
  return { origin: o, keys: strings(k, 'k'), tags: strings(t, 't'), clear: c === 1 || c === true };
}

function strings(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new MalformedInvalidationError(
      `invalidation message field "${field}" is not a list of strings`,
    );
  }
  return value;
}
