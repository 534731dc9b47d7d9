/**
 * The default entry must run on Workers, Deno and Bun: no `node:` (or bare Node builtin) import
 * may be reachable from src/index.ts. Walks the real import graph of the source files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const NODE_BUILTINS =
  /^(node:|fs$|path$|http$|https$|net$|tls$|crypto$|stream$|buffer$|os$|url$|util$|zlib$|events$|undici$)/;
const IMPORT =
  /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!);
    seen.set(file, specs);
    for (const spec of specs) {
      if (spec.startsWith('.'))
        visit(resolve(dirname(file), spec.endsWith('.ts') ? spec : `${spec}.ts`));
    }
  };
  visit(entry);
  return seen;
}

describe('default entry uses web standards only', () => {
  it('reaches no node: import and no undici from src/index.ts', () => {
    const files = graph(resolve(SRC, 'index.ts'));
    expect(files.size).toBeGreaterThan(5);
    const offenders = [...files].flatMap(([file, specs]) =>
      specs
        .filter((s) => NODE_BUILTINS.test(s))
        .map((s) => `${file.slice(SRC.length)} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the scan does catch a node: import (the node entry has them)', () => {
    const files = graph(resolve(SRC, 'node.ts'));
    const specs = [...files.values()].flat();
    expect(specs.some((s) => NODE_BUILTINS.test(s))).toBe(true);
  });
});

describe('built default entry (when built)', () => {
  const dist = resolve(SRC, '../dist');
  const built = ['index.js', 'index.cjs'].map((f) => resolve(dist, f)).filter((f) => existsSync(f));
  it.skipIf(built.length === 0)(
    'dist/index.{js,cjs} import or require no node: module and no undici',
    () => {
      for (const file of built) {
        const code = readFileSync(file, 'utf8');
        expect(code, file).not.toMatch(
          /(?:from\s*|require\(\s*|import\(\s*)['"](?:node:[^'"]+|undici)['"]/,
        );
      }
      const nodeEntry = readFileSync(resolve(dist, 'node.js'), 'utf8');
      expect(nodeEntry).toMatch(/from ['"]undici['"]/);
    },
  );
});
