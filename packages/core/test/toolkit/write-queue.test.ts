import { describe, expect, it } from 'vitest';
import { WriteQueue } from '../../src/toolkit/write-queue';

describe('WriteQueue', () => {
  it('runs one key in order, coalesces waiting jobs, shares their outcome and goes on after a failure', async () => {
    const ran: string[] = [];
    let failNext = true;
    const queue = new WriteQueue<string>(async (id, job) => {
      ran.push(`${id}=${job}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (job === 'b' && failNext) {
        failNext = false;
        throw new Error('boom');
      }
    });
    const outcomes = await Promise.allSettled([
      queue.run('k', '0'),
      queue.run('k', 'a'), // replaced by b while waiting
      queue.run('k', 'b'), // fails: a and b both see the failure
      queue.run('j', 'x'), // another key runs at once
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(ran).toEqual(['k=0', 'j=x', 'k=b']);
    await queue.run('k', 'b');
    expect(ran.at(-1)).toBe('k=b');
  });
});
