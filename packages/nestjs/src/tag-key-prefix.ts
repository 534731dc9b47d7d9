import { InvalidArgumentError, tagKeyPrefix } from '@momento-http/core';

/**
 * The prefix of this module's tag keys, by core's one rule (`tagKeyPrefix`): `tagNamespace`
 * picks the namespace (none: the one shared with every `@momento-http` package). The deprecated
 * `tagPrefix` is still honoured as a raw prefix, for caches written before `tagNamespace`;
 * giving both is a mistake, since they can disagree.
 */
export function resolveTagKeyPrefix(tagNamespace: unknown, tagPrefix: unknown): string {
  if (tagPrefix === undefined) return tagKeyPrefix(tagNamespace as string | undefined);
  if (tagNamespace !== undefined) {
    throw new InvalidArgumentError(
      'MomentoCacheModule: give "tagNamespace" or the deprecated "tagPrefix", not both',
    );
  }
  if (typeof tagPrefix !== 'string' || tagPrefix.length === 0) {
    throw new InvalidArgumentError(
      `MomentoCacheModule: invalid option "tagPrefix": expected a non-empty string, received ${String(tagPrefix)}`,
    );
  }
  return tagPrefix;
}
