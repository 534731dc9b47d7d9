import type { ItemStore } from './types.js';

/** Placeholder until the Redis store lands. */
export async function connectRedis(_url: string): Promise<ItemStore> {
  throw new Error('redis storage is not available yet');
}
