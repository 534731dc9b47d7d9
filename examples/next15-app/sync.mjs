// This app is the next-app example built with Next 15.5: copy its sources here, then swap the
// one module whose names differ between the two majors.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const from = new URL('../next-app/', import.meta.url);
const to = new URL('./', import.meta.url);
for (const path of ['app', 'lib', 'cache-handler.mjs', 'use-cache-handler.mjs']) {
  rmSync(new URL(path, to), { recursive: true, force: true });
  cpSync(new URL(path, from), new URL(path, to), { recursive: true });
}
// Next 15 has no cacheComponents, so the route handler states its ISR lifetime itself.
const bytesRoute = new URL('app/bytes/route.js', to);
writeFileSync(bytesRoute, `${readFileSync(bytesRoute, 'utf8')}\nexport const revalidate = 3600;\n`);
writeFileSync(
  new URL('lib/next-cache.js', to),
  "// Next 15 names.\nexport { unstable_cacheLife as cacheLife, unstable_cacheTag as cacheTag } from 'next/cache';\n",
);
