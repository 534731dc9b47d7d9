import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, TimeoutError } from '../../src/client/errors';
import type { CallOptions } from '../../src/contract';
import { Deadline } from '../../src/toolkit/deadline';
import { deferred } from './helpers';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Deadline', () => {
  it('is shared by every call of the operation: the second call gets only what is left', async () => {
    const deadline = new Deadline(500, { operation: 'express read' });
    const seen: CallOptions[] = [];
    const slow = (o: CallOptions) => {
      seen.push(o);
      return new Promise<string>((resolve) => setTimeout(resolve, 300, 'value'));
    };
    const first = deadline.run(slow);
    await vi.advanceTimersByTimeAsync(300);
    await expect(first).resolves.toBe('value');
    const second = deadline.run(slow);
    const outcome = second.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(200);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/express read did not finish within 500 ms/);
    expect(seen.map((o) => o.timeoutMs)).toEqual([500, 200]);
  });

  it('does not start a call once the time is up, and rejects every call with the same error', async () => {
    const deadline = new Deadline(100);
    const pending = deadline.race(new Promise(() => {}));
    const outcome = pending.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    const work = vi.fn(async () => 'never');
    const late = deadline.run(work);
    await expect(late).rejects.toBeInstanceOf(TimeoutError);
    expect(await outcome).toBe(await late.catch((error: unknown) => error));
    expect(work).not.toHaveBeenCalled();
    expect(deadline.expired).toBe(true);
    expect(deadline.remainingMs()).toBe(0);
  });

  it('creates no timer for work that finishes synchronously, and one timer for many pending calls', async () => {
    const deadline = new Deadline(1000);
    await expect(deadline.run(() => 'near hit')).resolves.toBe('near hit');
    expect(vi.getTimerCount()).toBe(0);
    const a = deferred<string>();
    const b = deferred<string>();
    const both = Promise.all([deadline.race(a.promise), deadline.run(() => b.promise)]);
    expect(vi.getTimerCount()).toBe(1);
    a.resolve('a');
    b.resolve('b');
    await expect(both).resolves.toEqual(['a', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('raceOr resolves to the fallback when the time is up, and passes rejections through', async () => {
    const deadline = new Deadline(50);
    const failing = deadline.raceOr(Promise.reject(new Error('boom')), 'miss');
    await expect(failing).rejects.toThrow('boom');
    const slow = deadline.raceOr(new Promise(() => {}), 'miss');
    await vi.advanceTimersByTimeAsync(50);
    await expect(slow).resolves.toBe('miss');
  });

  it("ends with the caller's abort reason at once, and passes the caller's signal to calls", async () => {
    const controller = new AbortController();
    const deadline = new Deadline(10_000, { signal: controller.signal });
    let given: AbortSignal | undefined;
    const call = deadline.run((o) => {
      given = o.signal;
      return new Promise(() => {});
    });
    const outcome = call.catch((error: unknown) => error);
    const reason = new Error('client went away');
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(given).toBe(controller.signal);
    await expect(deadline.raceOr(new Promise(() => {}), 'miss')).resolves.toBe('miss');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('with signalCalls: false, calls get no signal, and an abort still ends the operation at once', async () => {
    const controller = new AbortController();
    const deadline = new Deadline(10_000, { signal: controller.signal, signalCalls: false });
    let options: { signal?: AbortSignal } | undefined;
    const call = deadline.run((o) => {
      options = o;
      return new Promise(() => {});
    });
    const outcome = call.catch((error: unknown) => error);
    expect(options).not.toHaveProperty('signal');
    const reason = new Error('disconnected');
    controller.abort(reason);
    expect(await outcome).toBe(reason);
  });

  it('offers a signal that aborts with the TimeoutError at expiry', async () => {
    const deadline = new Deadline(200);
    const { signal } = deadline;
    expect(signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(TimeoutError);
  });

  it('never gives a call more than it asked for, and keeps its other options', () => {
    const deadline = new Deadline(1000);
    expect(deadline.callOptions({ timeoutMs: 250, ttlSeconds: 60 })).toEqual({
      timeoutMs: 250,
      ttlSeconds: 60,
    });
  });

  it('swallows a rejection that arrives after the deadline (no unhandled rejection)', async () => {
    const deadline = new Deadline(10);
    const late = deferred<string>();
    const outcome = deadline.race(late.promise).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    expect(await outcome).toBeInstanceOf(TimeoutError);
    late.reject(new Error('after the fact'));
    await vi.advanceTimersByTimeAsync(0);
  });

  it('refuses a budget that is not a finite positive number', () => {
    expect(() => new Deadline(0)).toThrow(InvalidArgumentError);
    expect(() => new Deadline(Number.NaN)).toThrow(/timeoutMs/);
    expect(() => new Deadline(Number.POSITIVE_INFINITY)).toThrow(/timeoutMs/);
  });
});
