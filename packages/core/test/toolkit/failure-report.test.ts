/** createFailureReporter: one report per cause and process, the user's onError instead of it. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CacheNotFoundError, TimeoutError } from '../../src/client/errors';
import { Deadline } from '../../src/toolkit/deadline';
import { decodeEnvelope, encodeEnvelope } from '../../src/toolkit/envelope';
import { ChunkingError } from '../../src/toolkit/errors';
import { diagnoseFailure } from '../../src/toolkit/failure-diagnosis';
import { createFailureReporter } from '../../src/toolkit/failure-report';
import { NamespaceGenerationError } from '../../src/toolkit/namespace-generation';

// Causes are remembered per process, so every test uses cache names of its own.
let unique = 0;
const cacheNotFound = (cache = `cache-${++unique}`) =>
  new CacheNotFoundError('Cache Not Found', {
    method: 'GET',
    url: `https://api.cache.example.com/cache/${cache}?key=secret-user-key`,
  });

function capture() {
  const printed: string[] = [];
  return { printed, warn: (message: string) => printed.push(message) };
}

afterEach(() => vi.restoreAllMocks());

describe('createFailureReporter', () => {
  it('prints one console.warn per distinct cause, never one per request', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const report = createFailureReporter({ adapter: 'nestjs' });
    const cache = `cache-${++unique}`;
    for (let i = 0; i < 50; i++) report(cacheNotFound(cache), 'read');
    expect(warn).toHaveBeenCalledTimes(1);
    report(cacheNotFound(), 'write'); // another cache: another cause
    expect(warn).toHaveBeenCalledTimes(2);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^\[@momento-http\/nestjs\] cache read failed/);
  });

  it('once per process: a second reporter (another adapter, another instance) stays quiet about a known cause', () => {
    const one = capture();
    const two = capture();
    const error = cacheNotFound();
    createFailureReporter({ adapter: 'express', warn: one.warn })(error, 'read');
    createFailureReporter({ adapter: 'keyv', warn: two.warn })(error, 'get');
    expect(one.printed).toHaveLength(1);
    expect(two.printed).toEqual([]);
  });

  it('a user onError replaces the report: it gets every failure, nothing is printed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const onError = vi.fn();
    const report = createFailureReporter({ adapter: 'express', onError });
    const error = cacheNotFound();
    report(error, 'read');
    report(error, 'read');
    report(error, 'write');
    expect(onError.mock.calls).toEqual([
      [error, 'read'],
      [error, 'read'],
      [error, 'write'],
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('a throwing onError never reaches the caller (a cache failure never fails a request)', () => {
    const report = createFailureReporter({
      adapter: 'next',
      onError: () => {
        throw new Error('logger down');
      },
    });
    expect(() => report(cacheNotFound(), 'read')).not.toThrow();
  });

  it('never prints the key or the query string of the failing URL', () => {
    const { printed, warn } = capture();
    createFailureReporter({ adapter: 'keyv', warn })(cacheNotFound('hidden-query'), 'get');
    expect(printed[0]).toContain("cache 'hidden-query' does not exist");
    expect(printed[0]).not.toContain('secret-user-key');
  });

  it('a deadline that passed before any answer: names the configured cache', async () => {
    const deadline = new Deadline(5, { operation: 'read' });
    const error = await deadline.run(() => new Promise(() => {})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    const { printed, warn } = capture();
    createFailureReporter({ adapter: 'express', cacheName: 'slow-cache', warn })(error, 'read');
    expect(printed[0]).toContain('(TimeoutError.');
    expect(printed[0]).toContain('did not answer in time');
    expect(diagnoseFailure(error, 'slow-cache').key).toBe('TIMEOUT||slow-cache');
  });

  it('remembers a bounded number of causes: past the bound, the oldest may be reported again', () => {
    const { printed, warn } = capture();
    const report = createFailureReporter({ adapter: 'express', warn });
    const oldest = cacheNotFound();
    report(oldest, 'read');
    for (let i = 0; i < 300; i++) report(cacheNotFound(), 'read');
    expect(printed).toHaveLength(301);
    report(oldest, 'read');
    expect(printed).toHaveLength(302);
  });
});

describe('diagnoseFailure', () => {
  it('an altered stored value: failed its check, read as a miss', async () => {
    const bytes = await encodeEnvelope({ page: 'hello' });
    bytes[bytes.length - 1]! ^= 0xff;
    const error = await decodeEnvelope(bytes).catch((e: unknown) => e);
    const diagnosis = diagnoseFailure(error);
    expect(diagnosis.errorName).toBe('EnvelopeError');
    expect(diagnosis.cause).toContain('a stored value failed its check and was read as a miss');
  });

  it.each([
    ['a bad chunk manifest', new ChunkingError('BAD_MANIFEST', 'x')],
    ['a garbage generation', new NamespaceGenerationError('ns', 'x')],
  ])('%s: also an integrity failure', (_, error) => {
    expect(diagnoseFailure(error).cause).toContain('a stored value failed its check');
  });

  it('finds a known error in the cause chain of a wrapper', () => {
    const wrapped = new Error('store failed', { cause: cacheNotFound('wrapped-cache') });
    expect(diagnoseFailure(wrapped).cause).toBe("cache 'wrapped-cache' does not exist");
  });

  it('keys a cause by code, status and cache name', () => {
    expect(diagnoseFailure(cacheNotFound('a')).key).toBe('CACHE_NOT_FOUND|404|a');
    expect(diagnoseFailure(new Error('boom')).cause).toBe('an unexpected error: Error: boom');
  });
});

describe('routes and wrapped errors', () => {
  it("each adapter's report says how its users route or silence it", () => {
    const routes = {
      express: 'Route these with onError, or pass onError: () => {} to silence them.',
      nestjs:
        'Route these with MomentoCacheModule onError, or pass onError: () => {} to silence them.',
      next: "Route these with the handler's onError, or pass onError: () => {} to silence them.",
      keyv: "Route these with keyv.on('error', …) or the store's onError; onError: () => {} silences them.",
    } as const;
    for (const [adapter, route] of Object.entries(routes)) {
      const { printed, warn } = capture();
      createFailureReporter({ adapter: adapter as keyof typeof routes, warn })(
        cacheNotFound(),
        'read',
      );
      expect(printed[0]!.split('\n').at(-1)).toBe(`  ${route}`);
    }
  });

  it('an error rethrown under another message (its URL only in cause) still names host and cache', () => {
    const original = cacheNotFound('wrapped-cache');
    const wrapped = new CacheNotFoundError('KeyvMomento get "k": Cache Not Found', {
      cause: original,
    });
    const diagnosis = diagnoseFailure(wrapped);
    expect(diagnosis.cause).toBe("cache 'wrapped-cache' does not exist");
    expect(diagnosis.key).toBe(diagnoseFailure(original).key);
  });
});
