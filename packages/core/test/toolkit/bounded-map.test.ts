import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { BoundedMap } from '../../src/toolkit/bounded-map';

describe('BoundedMap', () => {
  it('evicts only the entry written longest ago when full, never the whole map', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1).set('b', 2).set('c', 3);
    map.set('a', 10); // rewriting a makes b the oldest write
    map.get('b'); // reads do not count in 'write' mode
    map.set('d', 4);
    expect([...map.keys()]).toEqual(['c', 'a', 'd']);
    expect(map.size).toBe(3);
  });

  it("evicts the least recently used entry in 'use' mode", () => {
    const map = new BoundedMap<string, number>(3, { evict: 'use' });
    map.set('a', 1).set('b', 2).set('c', 3);
    expect(map.get('a')).toBe(1);
    map.set('d', 4);
    expect([...map.keys()]).toEqual(['c', 'a', 'd']);
    expect(map.get('missing')).toBeUndefined();
    expect(map.size).toBe(3);
  });

  it('reports each eviction, and not deletes or clears', () => {
    const evicted: Array<[string, number]> = [];
    const map = new BoundedMap<string, number>(2, { onEvict: (k, v) => evicted.push([k, v]) });
    map.set('a', 1).set('b', 2).set('c', 3);
    map.delete('b');
    map.set('d', 4);
    map.clear();
    expect(evicted).toEqual([['a', 1]]);
  });

  it('refuses a capacity or mode it cannot honour', () => {
    expect(() => new BoundedMap(0)).toThrow(InvalidArgumentError);
    expect(() => new BoundedMap(1.5)).toThrow(/capacity/);
    expect(() => new BoundedMap(2, { evict: 'random' as 'use' })).toThrow(/evict/);
  });
});
