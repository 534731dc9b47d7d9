// `@momento-http/next/seed`: seeding the cache from a build, apart from the root entry so a route
// that imports `revalidateTags` does not bundle the build-output reader and the config loader.
export { BuildOutputError, type PrerenderedKind } from './build-output';
export { NextSetupError } from './next-setup';
export {
  type SeedEntry,
  type SeedFailure,
  type SeedOptions,
  type SeedProgress,
  type SeedReport,
  seedCache,
} from './seed';
