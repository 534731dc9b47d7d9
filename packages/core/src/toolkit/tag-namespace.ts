import { InvalidArgumentError } from '../client/errors';
import { show } from './option-checks';

/**
 * The shared tag namespace's key prefix: every `@momento-http` package writes tag `t` as
 * `__tag__|t` unless told otherwise, so one purge reaches an Express response, a Nest response, a
 * Keyv entry and (with `tagNamespace`) a Next page alike.
 */
export const DEFAULT_TAG_KEY_PREFIX = '__tag__|';

/** Longest tag namespace accepted (UTF-16 units): it is repeated in every tag key. */
export const MAX_TAG_NAMESPACE_LENGTH = 128;

/**
 * THE rule for tag keys, used by every adapter, the purge handler and the purge CLI: tag `t` is
 * stored under `tagKeyPrefix(tagNamespace) + t`.
 *
 * - No namespace: the shared one, `__tag__|`.
 * - A namespace `shop`: `shop|__tag__|`. Two apps on one cache that must not purge each other's
 *   entries give different namespaces; packages of one app give the same one (or none).
 *
 * A namespace may not contain `|` (nor control characters) and may not be `__tag__`: with that,
 * no two namespaces (nor a namespace and the shared one) can produce the same key for any tag.
 * Anything else throws `InvalidArgumentError` naming `tagNamespace`.
 *
 * @example
 * new TagStore(store, { prefix: tagKeyPrefix('shop') }); // tag keys 'shop|__tag__|<tag>'
 */
export function tagKeyPrefix(tagNamespace?: string): string {
  if (tagNamespace === undefined) return DEFAULT_TAG_KEY_PREFIX;
  return `${checkTagNamespace(tagNamespace)}|${DEFAULT_TAG_KEY_PREFIX}`;
}

/** Characters that would make a namespace ambiguous or unprintable in a key. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `value` when it is a valid tag namespace; throws `InvalidArgumentError` with the reason otherwise. */
export function checkTagNamespace(value: unknown, name = 'tagNamespace'): string {
  const reason = namespaceProblem(value);
  if (reason !== undefined) throw new InvalidArgumentError(`${name} ${reason}, got ${show(value)}`);
  return value as string;
}

function namespaceProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty (omit it for the shared namespace)';
  if (value.length > MAX_TAG_NAMESPACE_LENGTH) {
    return `must be at most ${MAX_TAG_NAMESPACE_LENGTH} characters`;
  }
  if (value.includes('|')) return "must not contain '|' (it separates the namespace from the tag)";
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (value === '__tag__')
    return "must not be '__tag__' (its keys would be the shared namespace's)";
  return undefined;
}
