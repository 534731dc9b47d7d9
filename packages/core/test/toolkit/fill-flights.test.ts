import { describe, expect, it } from 'vitest';
import { FillFlights } from '../../src/index';

describe('FillFlights', () => {
  it('the first miss leads; the others get what it settles', async () => {
    const flights = new FillFlights<string>();
    const leader = flights.join('k');
    const follower = flights.join('k');
    if (!leader.leader || follower.leader)
      throw new Error('the first joiner leads, the next follows');
    const waiting = follower.wait(5000);
    leader.settle('answer');
    expect(await waiting).toBe('answer');
    expect(flights.inFlight).toBe(0);
    expect(flights.join('k').leader).toBe(true);
  });

  it('a follower stops waiting after its bound, with undefined', async () => {
    const flights = new FillFlights<string>();
    flights.join('k');
    const follower = flights.join('k');
    if (follower.leader) throw new Error('expected a follower');
    expect(await follower.wait(5)).toBeUndefined();
  });

  it('settle is idempotent: the first answer wins', async () => {
    const flights = new FillFlights<string>();
    const leader = flights.join('k');
    const follower = flights.join('k');
    if (!leader.leader || follower.leader) throw new Error('roles');
    leader.settle(undefined);
    leader.settle('late');
    expect(await follower.wait(1000)).toBeUndefined();
  });
});
