import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/toolkit/single-flight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlight', () => {
  it('shares one call among concurrent callers of a key', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    let calls = 0;
    const fn = () => {
      calls++;
      return gate.promise;
    };
    const results = [flight.run('k', fn), flight.run('k', fn), flight.run('k', fn)];
    expect(flight.inFlight).toBe(1);
    gate.resolve(7);
    expect(await Promise.all(results)).toEqual([7, 7, 7]);
    expect(calls).toBe(1);
    expect(flight.inFlight).toBe(0);
  });

  it('keeps different keys apart and starts fresh after settling', async () => {
    const flight = new SingleFlight<string>();
    let calls = 0;
    const fn = async () => `${++calls}`;
    expect(await Promise.all([flight.run('a', fn), flight.run('b', fn)])).toEqual(['1', '2']);
    expect(await flight.run('a', fn)).toBe('3');
  });

  it('shares rejections, including synchronous throws, and then forgets them', async () => {
    const flight = new SingleFlight<number>();
    const boom = () => {
      throw new Error('boom');
    };
    const a = flight.run('k', boom);
    const b = flight.run('k', async () => 1);
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('boom');
    expect(flight.inFlight).toBe(0);
    expect(await flight.run('k', async () => 2)).toBe(2);
  });

  it('forget() makes the next caller start a new call', async () => {
    const flight = new SingleFlight<string>();
    const gate = deferred<string>();
    const first = flight.run('k', () => gate.promise);
    flight.forget('k');
    const second = flight.run('k', async () => 'fresh');
    gate.resolve('old');
    expect(await first).toBe('old');
    expect(await second).toBe('fresh');
    expect(flight.inFlight).toBe(0);
  });
});
