// Keyv and cache-manager on Momento (or the local server), configured by env vars alone:
//   MOMENTO_API_KEY, MOMENTO_ENDPOINT (http://127.0.0.1:4545 for the local server),
//   MOMENTO_CACHE_NAME (default 'default-cache').
// Exits 0 when every step worked, 1 when the cache could not be used.

import { createKeyv } from '@momento-http/keyv';
import { createCache } from 'cache-manager';

// A cache failure never throws into the app: Keyv emits 'error' and the call returns undefined.
// Count the errors so the script can say at the end whether the cache was really used.
const errors = [];
let keyv;
try {
  keyv = createKeyv({ namespace: 'keyv-script' });
} catch (error) {
  // A missing or malformed MOMENTO_API_KEY / MOMENTO_ENDPOINT: say which, without a stack trace.
  console.error(`keyv-script: ${error.message} (see examples/keyv-script/README.md)`);
  process.exit(1);
}
keyv.on('error', (error) => errors.push(error));

// Keyv: set with a TTL in milliseconds, get it back.
await keyv.set('user:1', { name: 'Ada', roles: ['admin'] }, 60_000);
console.log('keyv.get("user:1") →', await keyv.get('user:1'));

// cache-manager 7 over the same Keyv store: get/set, then wrap (read-through).
const cache = createCache({ stores: [keyv] });
await cache.set('visits', 1, 60_000);
console.log('cache.get("visits") →', await cache.get('visits'));

let calls = 0;
const slowLookup = async () => {
  calls++;
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { answer: 42 };
};
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const value = await cache.wrap('answer', slowLookup, 60_000);
  const ms = (performance.now() - started).toFixed(1);
  console.log(`cache.wrap("answer") → ${JSON.stringify(value)} in ${ms} ms`);
}
console.log(`the slow lookup ran ${calls} time(s)`);

// clear() empties this namespace only: other apps sharing the cache keep their entries.
await keyv.clear();
console.log('after keyv.clear(): keyv.get("user:1") →', await keyv.get('user:1'));
await keyv.disconnect();

if (errors.length > 0) {
  console.error(
    `keyv-script: ${errors.length} cache call(s) failed, so nothing was cached; the first: ${errors[0].message}`,
  );
  process.exit(1);
}
