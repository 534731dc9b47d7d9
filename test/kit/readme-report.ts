/**
 * The failure report a package README shows in its Troubleshooting section, so each adapter's
 * tests can hold the README to what the adapter really prints (issue 17: "the messages a user
 * actually sees"). It is the ```text block of that section whose first line starts with
 * `[@momento-http/`.
 */
import { readFileSync } from 'node:fs';

/** The cache the README reports as missing: a user's typo of `my-cache`. */
export const README_MISSPELT_CACHE = 'my-cach';

export function readmeFailureReport(readme: URL): string {
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf('\n## Troubleshooting');
  if (start < 0) throw new Error(`${readme.pathname} has no "## Troubleshooting" section`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const block = /```text\n(\[@momento-http\/[^\n]*(?:\n(?!```)[^\n]*)*)\n```/.exec(section);
  if (!block?.[1]) throw new Error(`${readme.pathname}: no report block in Troubleshooting`);
  return block[1];
}
