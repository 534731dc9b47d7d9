/**
 * Relays a child's output to ours line by line, each line behind `prefix` (`[express-app] `), and
 * stops relaying once `silenced()` is true. The demo silences its children when it starts to stop:
 * whatever they still print then (pnpm's ELIFECYCLE, Next's "shutting down", a log line that was
 * in flight when the signal came) would land between "Stopping…" and "Stopped." in an order nobody
 * controls, and tell the user nothing the demo's own lines do not.
 *
 * @param {import('node:stream').Readable} stream the child's stdout or stderr
 * @param {{ write(text: string): unknown }} out where the lines go
 * @param {string} prefix put before every line
 * @param {() => boolean} silenced true from the moment the child's output no longer matters
 */
export function relayLines(stream, out, prefix, silenced) {
  let pending = '';
  stream.setEncoding('utf8');
  const write = (line) => {
    if (line.trim() && !silenced()) out.write(`${prefix}${line}\n`);
  };
  stream.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(write);
  });
  stream.on('end', () => write(pending));
}
