import { decodeEnvelope, encodeEnvelope } from './src/index';
const entry = {"v":1,"kind":"entry","policy":{"v":1,"t":1796585854020,"sh":true,"ch":0,"imm":0,"icc":false,"st":200,"resh":{"cache-control":"public, max-age=300","content-type":"application/json; charset=utf-8","content-length":"456","etag":"W/\"1c8-dLRyOq89LQoVhnl60+UOxtsuDek\""},"rescc":{"public":true,"max-age":"300"},"m":"GET","a":true,"reqh":null,"reqcc":{}},"status":200,"headers":{"cache-control":"public, max-age=300","content-type":"application/json; charset=utf-8","content-length":"456","etag":"W/\"1c8-dLRyOq89LQoVhnl60+UOxtsuDek\""},"body":new Uint8Array(456).fill(65),"tags":[],"storedAt":1796585854019};
const bytes = await encodeEnvelope(entry);
for (let round = 0; round < 5; round++) {
  const n = 50000; const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await decodeEnvelope(bytes);
  console.log('us/decode', Number(process.hrtime.bigint() - t) / 1000 / n);
}
