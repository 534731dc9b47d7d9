import { RecordingStore } from '@momento-http/test-kit';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { NEVER_INVALIDATED, TagStates } from '../../src/toolkit/tag-states';
import { tagVerdict } from '../../src/toolkit/tag-verdict';
import { TagStore } from '../../src/toolkit/tags';
import { deferred } from './helpers';

function setup(nearCache = true) {
  const memory = createMemoryStore();
  const store = new RecordingStore(memory);
  const states = new TagStates(new TagStore(store), nearCache ? { nearCache: {} } : {});
  return { memory, states, store };
}

describe('TagStates', () => {
  it.each([true, false])(
    'own invalidation is seen at once, before the tag write lands (near %s)',
    async (near) => {
      const { states, store } = setup(near);
      const created = Date.now() - 5;
      await states.read(['t']); // near: remembers "never invalidated"
      const gate = deferred();
      store.rule({ method: 'set', until: gate.promise });
      const invalidation = states.invalidate(['t']);
      expect(tagVerdict(await states.read(['t']), created)).toBe('expired');
      if (near) expect(tagVerdict(states.peek(['t'])!, created)).toBe('expired'); // and synchronously
      gate.resolve();
      await invalidation;
      expect(tagVerdict(await states.read(['t']), created)).toBe('expired');
    },
  );

  it('two identical invalidations at once write each tag once (two handler kinds, one store)', async () => {
    let t = 1_000_000;
    const store = new RecordingStore(createMemoryStore());
    const states = new TagStates(new TagStore(store), { now: () => t++ }); // a new millisecond per call
    await Promise.all([states.invalidate(['a', 'b']), states.invalidate(['a', 'b'])]);
    expect(store.sets.filter((s) => s.key === '__tag__|a')).toHaveLength(1);
    expect(store.sets.filter((s) => s.key === '__tag__|b')).toHaveLength(1);
  });

  it('a later invalidation (another turn, another millisecond) is written even while one is in flight', async () => {
    let t = 1_000_000;
    const store = new RecordingStore(createMemoryStore());
    const states = new TagStates(new TagStore(store), { now: () => t++ });
    const gate = deferred();
    store.rule({ method: 'set', until: gate.promise });
    const first = states.invalidate(['a']);
    await new Promise((r) => setImmediate(r)); // past this turn's microtasks
    const second = states.invalidate(['a']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(store.sets.filter((s) => s.key === '__tag__|a')).toHaveLength(2);
  });

  it('a failed tag write rejects, and this process still sees its invalidation', async () => {
    const { states, store } = setup();
    const created = Date.now() - 5;
    const stopFailing = store.rule({ method: 'set', fail: new Error('down') });
    await expect(states.invalidate(['t'])).rejects.toThrow('down');
    stopFailing();
    expect(tagVerdict(await states.read(['t']), created)).toBe('expired');
  });

  it('a later invalidation by another process wins over the local record', async () => {
    const { memory, states } = setup(false);
    await states.invalidate(['t'], { expireInSeconds: 3600 });
    const other = new TagStates(new TagStore(memory));
    await new Promise((r) => setTimeout(r, 2)); // a later millisecond, so the other record is later
    await other.invalidate(['t']);
    const state = (await states.read(['t'])).get('t')!;
    expect(state.expired).toBe(state.stale); // the immediate expiry from the other process
  });

  it('the near cache holds absences, so a second read of never-invalidated tags makes no request', async () => {
    const { states, store } = setup();
    expect(await states.read(['x', 'y'])).toEqual(new Map());
    const gets = store.gets.length;
    expect(await states.read(['x', 'y'])).toEqual(new Map());
    expect(states.peek(['x', 'y'])).toEqual(new Map());
    expect(store.gets.length).toBe(gets);
    expect(states.near?.get('x')).toBe(NEVER_INVALIDATED);
  });

  it('a tag read that overlapped an invalidation does not fill the near cache with the old state', async () => {
    const { states, store } = setup();
    const gate = deferred();
    store.rule({ method: 'get', at: 'response', until: gate.promise, count: 1 });
    const read = states.read(['t']);
    const invalidation = states.invalidate(['t']);
    gate.resolve();
    await read;
    await invalidation;
    expect(states.near?.get('t')).toBeUndefined();
  });
});
