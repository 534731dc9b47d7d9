import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { relayLines } from '../../scripts/relay.mjs';

/** A child's stream relayed into a string, with a switch standing for "the demo is stopping". */
function relayed() {
  const stream = new PassThrough();
  const out = { text: '', write: (text: string) => (out.text += text) };
  const state = { stopping: false };
  relayLines(stream, out, '[app] ', () => state.stopping);
  const ended = new Promise((resolve) => stream.once('end', resolve));
  return { stream, out, state, ended };
}

describe('relayLines (the demo relaying its children)', () => {
  it('prefixes whole lines, joins lines split across chunks, drops blank ones', async () => {
    const { stream, out, ended } = relayed();
    stream.write('ready on 3000\nlisten');
    stream.write('ing\n\n  \n');
    stream.end('last words without a newline');
    await ended;
    expect(out.text).toBe(
      '[app] ready on 3000\n[app] listening\n[app] last words without a newline\n',
    );
  });

  it('prints nothing once the demo is stopping, not even a line that began before', async () => {
    const { stream, out, state, ended } = relayed();
    stream.write('before\nhalf a ');
    // Let the chunk be read before the demo starts stopping, as a signal can arrive mid-line.
    await new Promise((resolve) => setImmediate(resolve));
    state.stopping = true;
    stream.write('line\n[express-app]   │ app\n');
    stream.end(' ELIFECYCLE Command failed.');
    await ended;
    expect(out.text).toBe('[app] before\n');
  });
});
