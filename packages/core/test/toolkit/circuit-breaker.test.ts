import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  CacheNotFoundError,
  ConnectionError,
  InvalidArgumentError,
  ItemTooLargeError,
  LimitExceededError,
  ServerError,
  TimeoutError,
} from '../../src/client/errors';
import { CircuitBreaker, isOutage } from '../../src/toolkit/circuit-breaker';
import { ChunkingError, EnvelopeError } from '../../src/toolkit/errors';

const outage = () => new TimeoutError('slow');

describe('CircuitBreaker', () => {
  it('opens after `failures` consecutive failures and refuses calls for `cooldownMs`', () => {
    let t = 0;
    const breaker = new CircuitBreaker({ failures: 3, cooldownMs: 1000, now: () => t });
    breaker.failed(outage());
    breaker.failed(outage());
    breaker.succeeded(); // a success in between starts the count over
    breaker.failed(outage());
    breaker.failed(outage());
    expect(breaker.allows()).toBe(true);
    breaker.failed(outage());
    expect(breaker.state).toBe('open');
    t = 999;
    expect(breaker.allows()).toBe(false);
  });

  it('lets exactly one trial through after the cooldown; its success closes the circuit', () => {
    let t = 0;
    const breaker = new CircuitBreaker({ failures: 1, cooldownMs: 100, now: () => t });
    breaker.failed(new ConnectionError('refused'));
    t = 100;
    expect(breaker.allows()).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allows()).toBe(false);
    breaker.succeeded();
    expect(breaker.state).toBe('closed');
    expect(breaker.allows()).toBe(true);
  });

  it('reopens at once when the trial fails, even with a higher failure threshold', () => {
    let t = 0;
    const breaker = new CircuitBreaker({ failures: 5, cooldownMs: 100, now: () => t });
    for (let i = 0; i < 5; i++) breaker.failed(outage());
    t = 100;
    expect(breaker.allows()).toBe(true);
    breaker.failed(outage());
    expect(breaker.state).toBe('open');
    t = 199;
    expect(breaker.allows()).toBe(false);
    t = 200;
    expect(breaker.allows()).toBe(true);
  });

  it('gives up on a trial that never reports and lets another through after the cooldown', () => {
    let t = 0;
    const breaker = new CircuitBreaker({ failures: 1, cooldownMs: 100, now: () => t });
    breaker.failed(outage());
    t = 100;
    expect(breaker.allows()).toBe(true);
    t = 150;
    expect(breaker.allows()).toBe(false);
    t = 200;
    expect(breaker.allows()).toBe(true);
  });

  it('reads no clock while closed', () => {
    const breaker = new CircuitBreaker({
      now: () => {
        throw new Error('clock read');
      },
    });
    expect(breaker.allows()).toBe(true);
    breaker.failed(outage());
    breaker.succeeded();
    expect(breaker.allows()).toBe(true);
  });

  it('counts outages only, unless told otherwise', () => {
    for (const e of [
      outage(),
      new ConnectionError('x'),
      new ServerError('x'),
      new LimitExceededError('x'),
      new Error('custom store'),
    ]) {
      expect(isOutage(e), String(e)).toBe(true);
    }
    for (const e of [
      new BadRequestError('x'),
      new CacheNotFoundError('x'),
      new ItemTooLargeError('x'),
      new EnvelopeError('MALFORMED', 'x'),
      new ChunkingError('INTEGRITY', 'x'),
    ]) {
      expect(isOutage(e), String(e)).toBe(false);
    }
    const breaker = new CircuitBreaker({ failures: 1 });
    breaker.failed(new BadRequestError('bad key'));
    expect(breaker.state).toBe('closed');
    const everything = new CircuitBreaker({ failures: 1, countsAsFailure: () => true });
    everything.failed(new BadRequestError('bad key'));
    expect(everything.state).toBe('open');
  });

  it('refuses thresholds it cannot honour, naming the option', () => {
    expect(() => new CircuitBreaker({ failures: 0 })).toThrow(InvalidArgumentError);
    expect(() => new CircuitBreaker({ failures: 0 })).toThrow(/failures/);
    expect(() => new CircuitBreaker({ cooldownMs: -1 })).toThrow(/cooldownMs/);
  });
});
