/**
 * The Troubleshooting section of every package README lists the messages a user actually sees
 * (issue 17). The start-up errors listed there are compared with what the client really throws for
 * the mistake each describes; the failure-report blocks are held to each adapter's real report by
 * that adapter's own observability test (they need the adapter running).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@momento-http/core';
import { describe, expect, it } from 'vitest';
import { REPO } from './sample-app';

const PACKAGES = ['core', 'server', 'keyv', 'next', 'nestjs', 'express'];

/** A v2-shaped API key (a JWT whose claims name no endpoint); never sent anywhere. */
const V2_KEY = ['{"alg":"HS512","typ":"JWT"}', '{"t":"g"}', 'signature']
  .map((part) => Buffer.from(part).toString('base64url'))
  .join('.');

/** The message the client throws for `options`, from the real client. */
function thrown(options: Parameters<typeof createClient>[0]): string {
  try {
    createClient(options);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`createClient(${JSON.stringify(options)}) did not throw`);
}

/** Each start-up mistake a README lists, by the words its message starts with. */
const START_UP_ERRORS: { startsWith: string; message: () => string }[] = [
  { startsWith: 'No API key', message: () => thrown({ env: {} }) },
  {
    startsWith: 'No endpoint for this v2 API key',
    message: () => thrown({ apiKey: V2_KEY, env: {} }),
  },
  {
    startsWith: 'MOMENTO_ENDPOINT "127.0.0.1:4545" has no scheme',
    message: () => thrown({ apiKey: V2_KEY, env: { MOMENTO_ENDPOINT: '127.0.0.1:4545' } }),
  },
  {
    startsWith: 'MOMENTO_ENDPOINT "https://127.0.0.1:4545" asks for TLS',
    message: () => thrown({ apiKey: V2_KEY, env: { MOMENTO_ENDPOINT: 'https://127.0.0.1:4545' } }),
  },
];

function troubleshooting(name: string): string {
  const readme = readFileSync(join(REPO, 'packages', name, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Troubleshooting');
  if (start < 0) return '';
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The section's code spans (`` `x` `` and ``` ``x`` ```), outside its fenced blocks. */
function codeSpans(section: string): string[] {
  const prose = section.replace(/^```[\s\S]*?^```$/gm, '');
  return [...prose.matchAll(/``(.+?)``|`([^`]+)`/g)].map((m) => (m[1] ?? m[2] ?? '').trim());
}

describe.each(PACKAGES)('packages/%s/README.md, Troubleshooting', (name) => {
  it('exists', () => {
    expect(troubleshooting(name)).not.toBe('');
  });

  it('quotes each start-up error as the client throws it (… stands for the rest)', () => {
    const spans = codeSpans(troubleshooting(name));
    for (const { startsWith, message } of START_UP_ERRORS) {
      const quotes = spans.filter((span) => span.startsWith(startsWith));
      // The server's users meet these through a client, whose README quotes them in full.
      if (name !== 'server') expect(quotes, startsWith).not.toEqual([]);
      for (const quoted of quotes) {
        const actual = message();
        if (quoted.endsWith('…')) expect(actual.startsWith(quoted.slice(0, -1))).toBe(true);
        else expect(quoted).toBe(actual);
      }
    }
  });
});
