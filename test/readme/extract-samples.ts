/**
 * The code samples of a README: every ```ts / ```js / ```mjs / ```cjs block, in order, with the
 * file name its first line gives (`// app.module.ts`) and the reason it is not run, when a
 * `<!-- sample: skip (why) -->` comment stands on the line before it (for signatures, fragments
 * and files only another tool loads; used sparingly).
 */
import { readFileSync } from 'node:fs';

export type SampleLanguage = 'ts' | 'js' | 'mjs' | 'cjs';

export interface Sample {
  /** 1-based line of the opening fence, to name the sample in test output. */
  readonly line: number;
  readonly language: SampleLanguage;
  readonly code: string;
  /** The file the sample says it is (`// products.controller.ts` on its first line), if any. */
  readonly fileName?: string;
  /** Why the sample is not run, from its `sample: skip` marker. */
  readonly skipReason?: string;
}

const FENCE_OPEN = /^```(ts|typescript|js|javascript|mjs|cjs)\s*$/;
const SKIP_MARKER = /^<!--\s*sample:\s*skip\s*\((.+)\)\s*-->$/;
const FILE_COMMENT = /^\/\/\s*([\w.-]+\.(?:[cm]?[jt]s))\b/;

const LANGUAGE: Record<string, SampleLanguage> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'mjs',
  cjs: 'cjs',
};

export function extractSamples(readmePath: string): Sample[] {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const samples: Sample[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE_OPEN.exec(lines[index] ?? '');
    if (!open) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && !/^```\s*$/.test(lines[index] ?? ''); index++) {
      body.push(lines[index] ?? '');
    }
    const skip = SKIP_MARKER.exec(previousNonBlank(lines, start) ?? '');
    const fileName = FILE_COMMENT.exec(body[0] ?? '')?.[1];
    samples.push({
      line: start + 1,
      language: LANGUAGE[open[1] ?? 'ts'] ?? 'ts',
      code: `${body.join('\n')}\n`,
      ...(fileName ? { fileName } : {}),
      ...(skip?.[1] ? { skipReason: skip[1] } : {}),
    });
  }
  return samples;
}

function previousNonBlank(lines: readonly string[], index: number): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const line = lines[i]?.trim();
    if (line) return line;
  }
  return undefined;
}
