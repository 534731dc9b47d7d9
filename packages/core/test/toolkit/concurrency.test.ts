import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/client/errors';
import { mapConcurrent } from '../../src/toolkit/concurrency';

describe('mapConcurrent', () => {
  it('keeps order and never exceeds the limit', async () => {
    let active = 0;
    let peak = 0;
    const result = await mapConcurrent([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      active++;
      peak = Math.max(peak, active);
      // Let the other workers run between start and finish.
      for (let k = 0; k < n; k++) await Promise.resolve();
      active--;
      return n * 10 + i;
    });
    expect(result).toEqual([50, 11, 42, 23, 34, 5, 66]);
    expect(peak).toBe(3);
  });

  it('handles empty input and an unbounded limit', async () => {
    expect(await mapConcurrent([], 4, async () => 1)).toEqual([]);
    expect(await mapConcurrent([1, 2], Number.POSITIVE_INFINITY, async (n) => n + 1)).toEqual([
      2, 3,
    ]);
  });

  it('rejects with the first error and starts no new calls', async () => {
    const started: number[] = [];
    const run = mapConcurrent([0, 1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('fail at 1');
      return n;
    });
    await expect(run).rejects.toThrow('fail at 1');
    expect(started).toEqual([0, 1]);
  });

  it('validates the limit', async () => {
    await expect(mapConcurrent([1], 0, async (n) => n)).rejects.toThrow(InvalidArgumentError);
    await expect(mapConcurrent([1], 1.5, async (n) => n)).rejects.toThrow(InvalidArgumentError);
  });
});
