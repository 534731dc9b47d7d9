import { createMemoryStore, Deadline } from '@momento-http/core';
import { EntryStore } from '../src/entry-store';
import { normalizeOptions } from '../src/options';
const store = createMemoryStore();
const opts = normalizeOptions({ store, onError: (e: unknown) => { throw e; } });
const es = new EntryStore(opts);
const entry = {"kind":"entry" as const,"policy":{"v":1,"t":Date.now(),"sh":true,"ch":0,"imm":0,"icc":false,"st":200,"resh":{"cache-control":"public, max-age=300","content-type":"application/json; charset=utf-8","content-length":"456","etag":"W/\"1c8-dLRyOq89LQoVhnl60+UOxtsuDek\""},"rescc":{"public":true,"max-age":"300"},"m":"GET","a":true,"reqh":null,"reqcc":{}},"status":200,"headers":{"cache-control":"public, max-age=300","content-type":"application/json; charset=utf-8","content-length":"456","etag":"W/\"1c8-dLRyOq89LQoVhnl60+UOxtsuDek\""},"body":new Uint8Array(456).fill(65),"tags":[] as string[],"storedAt":Date.now()};
await es.write('k', entry, 300);
for (let round = 0; round < 6; round++) {
  const n = 30000; const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const d = new Deadline(1000);
    const r = await es.read('k', d);
    if (!r || typeof r === 'symbol') throw new Error('miss');
  }
  console.log('us/read', (Number(process.hrtime.bigint() - t) / 1000 / n).toFixed(2));
}
