import { describe, expect, it } from 'vitest';
import { BackgroundRefresh } from '../../src/index';

describe('BackgroundRefresh', () => {
  it('runs one refresh per key at a time, after the current turn, and reports failures', async () => {
    const failures: [unknown, string][] = [];
    const refreshes = new BackgroundRefresh({ onError: (e, key) => failures.push([e, key]) });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let runs = 0;
    const refresh = () => {
      runs++;
      return gate;
    };
    expect(refreshes.start('a', refresh)).toBe(true);
    expect(refreshes.start('a', () => runs++)).toBe(false);
    expect(runs).toBe(0); // not in this turn: the stale answer goes out first
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(1);
    expect(refreshes.isRunning('a')).toBe(true);
    release();
    await gate;
    await new Promise((resolve) => setImmediate(resolve));
    expect(refreshes.isRunning('a')).toBe(false);
    const boom = new Error('boom');
    refreshes.start('b', () => {
      throw boom;
    });
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual([[boom, 'b']]);
    expect(refreshes.isRunning('b')).toBe(false);
  });

  it('forgets a refresh that never finishes', async () => {
    const refreshes = new BackgroundRefresh({ forgetAfterMs: 5 });
    refreshes.start('a', () => new Promise(() => {}));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(refreshes.start('a', () => undefined)).toBe(true);
  });
});
