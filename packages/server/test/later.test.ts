import { describe, expect, it } from 'vitest';
import { Later } from '../src/protocol/later.js';

describe('Later (promise-free body continuation)', () => {
  it('runs the listener synchronously when settled, before or after listening', () => {
    const seen: string[] = [];
    const early = new Later<string>();
    early.resolve('a');
    early.listen(
      (v) => seen.push(v),
      () => seen.push('error'),
    );
    const late = new Later<string>();
    late.listen(
      (v) => seen.push(v),
      () => seen.push('error'),
    );
    expect(seen).toEqual(['a']);
    late.resolve('b');
    late.resolve('ignored: settles once');
    expect(seen).toEqual(['a', 'b']);
  });

  it('adopts a promise, rejects, and works with await', async () => {
    const fromPromise = new Later<number>();
    fromPromise.resolve(Promise.resolve(7));
    expect(await fromPromise).toBe(7);
    const failed = new Later<number>();
    failed.reject(new Error('gone'));
    await expect(Promise.resolve(failed)).rejects.toThrow('gone');
    const adoptedFailure = new Later<number>();
    adoptedFailure.resolve(Promise.reject(new Error('store down')));
    await expect(adoptedFailure.then((v) => v)).rejects.toThrow('store down');
  });
});
