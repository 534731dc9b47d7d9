import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { withSingleFlight } from '../../src/toolkit/with-single-flight';
import { deferred, text } from './helpers';

describe('withSingleFlight', () => {
  it('concurrent gets of one key share one request, each with its own copy', async () => {
    const inner = new RecordingStore(createMemoryStore());
    await inner.set('k', 'v');
    const store = withSingleFlight(inner);
    const values = await Promise.all(Array.from({ length: 10 }, () => store.get('k')));
    expect(inner.gets).toHaveLength(1);
    expect(values.map(text)).toEqual(Array(10).fill('v'));
    expect(new Set(values).size).toBe(10);
    await Promise.all([store.get('a'), store.get('b')]);
    expect(inner.gets).toHaveLength(3);
  });

  it("a caller that changes its bytes at once changes nobody else's (a joiner with a signal too)", async () => {
    const inner = new RecordingStore(createMemoryStore());
    await inner.set('k', 'v');
    const store = withSingleFlight(inner);
    const first = store.get('k').then((bytes) => {
      bytes?.fill(0);
      return bytes;
    });
    const joined = store.get('k', { signal: new AbortController().signal });
    await first;
    expect(text(await joined)).toBe('v');
  });

  it('an aborted caller rejects alone; the others get the value', async () => {
    const inner = new RecordingStore(createMemoryStore());
    await inner.set('k', 'v');
    const store = withSingleFlight(inner);
    const gate = deferred();
    inner.rule({ method: 'get', at: 'response', until: gate.promise });
    const controller = new AbortController();
    const aborted = store.get('k', { signal: controller.signal });
    const other = store.get('k');
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    gate.resolve();
    expect(text(await other)).toBe('v');
  });

  it('a read started after a write completes does not join an older read', async () => {
    const inner = new RecordingStore(createMemoryStore());
    await inner.set('k', 'old');
    const store = withSingleFlight(inner);
    const gate = deferred();
    const release = inner.rule({ method: 'get', at: 'response', until: gate.promise });
    const before = store.get('k');
    await new Promise((r) => setImmediate(r));
    release();
    await store.set('k', 'new');
    const after = store.get('k');
    gate.resolve();
    expect(text(await before)).toBe('old');
    expect(text(await after)).toBe('new');
    expect(inner.gets).toHaveLength(2);
  });

  it('a read that starts while a write is in flight is not joined after the write', async () => {
    const inner = new RecordingStore(createMemoryStore());
    await inner.set('k', 'old');
    const store = withSingleFlight(inner);
    const setGate = deferred();
    const getGate = deferred();
    inner.rule({ method: 'set', until: setGate.promise, count: 1 });
    const write = store.set('k', 'new');
    const releaseGets = inner.rule({ method: 'get', at: 'response', until: getGate.promise });
    const during = store.get('k'); // reads 'old' while the write waits
    await new Promise((r) => setImmediate(r));
    releaseGets();
    setGate.resolve();
    await write;
    const after = store.get('k');
    getGate.resolve();
    expect(text(await during)).toBe('old');
    expect(text(await after)).toBe('new');
    expect(inner.gets).toHaveLength(2);
  });

  it('shares failures and passes writes through', async () => {
    const store = withSingleFlight(createMemoryStore());
    await expect(Promise.all([store.get(''), store.get('')])).rejects.toThrow(/empty/);
    await store.set('k', 'v', { ttlSeconds: 5 });
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });
});
