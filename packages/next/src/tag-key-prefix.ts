import { tagKeyPrefix } from '@momento-http/core';

/**
 * Where this package's tags live. By default under its own `namespace` (`next|tag|<tag>`), as
 * before: never under the build id, which prefixes page keys so one deployment never reads
 * another's pages, but would make a deploy forget every purge made before it. With
 * `tagNamespace` (an empty one is not allowed: omit it) tags follow core's one rule and are
 * shared with every `@momento-http` package given the same namespace.
 */
export function nextTagKeyPrefix(namespace: string, tagNamespace: unknown): string {
  if (tagNamespace !== undefined) return tagKeyPrefix(tagNamespace as string);
  return `${namespace}tag|`;
}
