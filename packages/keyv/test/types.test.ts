// The types a user compiles against: `new Keyv(new KeyvMomento())` under Keyv 5 and 6, and a
// typed createKeyv<T>(), with the strictest optional-property setting (exactOptionalPropertyTypes).
// Only diagnostics in this package count: the sibling packages are compiled from source here.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('types', () => {
  it('compile under exactOptionalPropertyTypes', () => {
    const configPath = `${root}tsconfig.json`;
    const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
    const program = ts.createProgram([`${root}test/types/exact-optional.ts`], {
      ...parsed.options,
      exactOptionalPropertyTypes: true,
      noEmit: true,
    });
    const ours = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(root))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(ours).toEqual([]);
  }, 120_000);
});
