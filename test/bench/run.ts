/**
 * `pnpm bench [name…]` runs test/bench/<name>.bench.ts (all of them when no name is given).
 * Each bench module exports `default async function run(): Promise<void>` built on ./harness.ts.
 */
import { readdir } from 'node:fs/promises';

const dir = new URL('./', import.meta.url);
const wanted = process.argv.slice(2);
const all = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = wanted.length
  ? all.filter((f) => wanted.includes(f.replace(/\.bench\.ts$/, '')))
  : all;
if (wanted.length && chosen.length !== wanted.length) {
  console.error(
    `unknown bench; available: ${all.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}`,
  );
  process.exit(2);
}
for (const file of chosen) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}\n`);
  const mod = (await import(new URL(file, dir).href)) as { default: () => Promise<void> };
  await mod.default();
}
