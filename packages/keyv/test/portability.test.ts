// The store runs wherever `fetch` does (Node, Bun, Deno, workers): its source may use web
// standards only, and must read the environment through globalThis.process.
import { readdir, readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';

const srcDir = new URL('../src/', import.meta.url);

it('src imports no Node built-ins and touches no bare `process`', async () => {
  const files = (await readdir(srcDir)).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    const source = await readFile(new URL(file, srcDir), 'utf8');
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, ''); // comments out
    expect(code, file).not.toMatch(/from ['"](node:|fs|path|events|crypto|buffer)['"/]/);
    expect(code.replace(/globalThis as [^)]*\)\.process/g, ''), file).not.toMatch(/\bprocess\./);
    expect(code, file).not.toMatch(/\bBuffer\b/);
  }
});
