// Keyv and cache-manager on Momento (or the local server), configured by env vars alone:
//   MOMENTO_API_KEY, MOMENTO_ENDPOINT (http://127.0.0.1:4545 for the local server), MOMENTO_CACHE_NAME.

import { createKeyv } from '@momento-http/keyv';
import { createCache } from 'cache-manager';

const keyv = createKeyv({ namespace: 'keyv-script' });
keyv.on('error', (error) => console.error('cache error (the app carries on):', error.message));

await keyv.set('greeting', { hello: 'world', at: new Date().toISOString() }, 60_000);
console.log('keyv.get("greeting") →', await keyv.get('greeting'));

const cache = createCache({ stores: [keyv] });
let calls = 0;
const slowLookup = async () => {
  calls++;
  await new Promise((r) => setTimeout(r, 200));
  return { answer: 42 };
};
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const value = await cache.wrap('answer', slowLookup, 60_000);
  console.log(
    `cache.wrap("answer") → ${JSON.stringify(value)} in ${(performance.now() - started).toFixed(1)} ms`,
  );
}
console.log(`the slow lookup ran ${calls} time(s)`);

await keyv.clear(); // clears this namespace only: other apps sharing the cache keep their entries
console.log('after clear:', await keyv.get('greeting'));
await keyv.disconnect();
