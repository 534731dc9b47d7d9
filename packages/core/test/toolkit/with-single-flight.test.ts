import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { withSingleFlight } from '../../src/toolkit/with-single-flight';
import { deferred, instrument, text } from './helpers';

describe('withSingleFlight', () => {
  it('concurrent gets of one key share one request, each with its own copy', async () => {
    const { store: inner, calls } = instrument(createMemoryStore());
    await inner.set('k', 'v');
    const store = withSingleFlight(inner);
    const values = await Promise.all(Array.from({ length: 10 }, () => store.get('k')));
    expect(calls.get).toHaveLength(1);
    expect(values.map(text)).toEqual(Array(10).fill('v'));
    expect(new Set(values).size).toBe(10);
    await Promise.all([store.get('a'), store.get('b')]);
    expect(calls.get).toHaveLength(3);
  });

  it('an aborted caller rejects alone; the others get the value', async () => {
    const { store: inner, hold } = instrument(createMemoryStore());
    await inner.set('k', 'v');
    const store = withSingleFlight(inner);
    const gate = deferred();
    hold.get = gate.promise;
    const controller = new AbortController();
    const aborted = store.get('k', { signal: controller.signal });
    const other = store.get('k');
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    gate.resolve();
    expect(text(await other)).toBe('v');
  });

  it('a read started after a write completes does not join an older read', async () => {
    const { store: inner, hold, calls } = instrument(createMemoryStore());
    await inner.set('k', 'old');
    const store = withSingleFlight(inner);
    const gate = deferred();
    hold.get = gate.promise;
    const before = store.get('k');
    await new Promise((r) => setImmediate(r));
    hold.get = undefined;
    await store.set('k', 'new');
    const after = store.get('k');
    gate.resolve();
    expect(text(await before)).toBe('old');
    expect(text(await after)).toBe('new');
    expect(calls.get).toHaveLength(2);
  });

  it('a read that starts while a write is in flight is not joined after the write', async () => {
    const { store: inner, hold, calls } = instrument(createMemoryStore());
    await inner.set('k', 'old');
    const store = withSingleFlight(inner);
    const setGate = deferred();
    const getGate = deferred();
    hold.set = setGate.promise;
    const write = store.set('k', 'new');
    hold.get = getGate.promise;
    const during = store.get('k'); // reads 'old' while the write waits
    await new Promise((r) => setImmediate(r));
    hold.get = undefined;
    setGate.resolve();
    await write;
    const after = store.get('k');
    getGate.resolve();
    expect(text(await during)).toBe('old');
    expect(text(await after)).toBe('new');
    expect(calls.get).toHaveLength(2);
  });

  it('shares failures and passes writes through', async () => {
    const store = withSingleFlight(createMemoryStore());
    await expect(Promise.all([store.get(''), store.get('')])).rejects.toThrow(/empty/);
    await store.set('k', 'v', { ttlSeconds: 5 });
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });
});
