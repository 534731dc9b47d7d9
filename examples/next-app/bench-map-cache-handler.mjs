// Benchmark only (NEXT_CACHE_HANDLER=map): the smallest custom `cacheHandler` there is, a Map in
// the process returning what it was given. It measures what Next itself spends per request on
// any custom handler (loading it, constructing it), apart from the handler's own work.
const entries = new Map();

export default class MapCacheHandler {
  async get(key) {
    return entries.get(key) ?? null;
  }

  async set(key, value, ctx) {
    entries.set(key, { value, lastModified: Date.now(), cacheControl: ctx?.cacheControl });
  }

  async revalidateTag() {}

  resetRequestCache() {}
}
