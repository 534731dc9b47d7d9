import { describe, expect, it } from 'vitest';
import { sharedAbortController } from '../../src/toolkit/shared-abort';

const listen = (signal: AbortSignal, count: number) => {
  for (let i = 0; i < count; i++) signal.addEventListener('abort', () => {}, { once: true });
};

/** Warnings Node emits while `fn` runs (they are emitted on a later tick). */
async function warningsDuring(fn: () => void): Promise<string[]> {
  const seen: string[] = [];
  const onWarning = (warning: Error) => seen.push(warning.name);
  process.on('warning', onWarning);
  try {
    fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return seen;
}

describe('sharedAbortController', () => {
  it('a plain signal warns past 10 listeners (the check this guards against can fire)', async () => {
    expect(await warningsDuring(() => listen(new AbortController().signal, 20))).toContain(
      'MaxListenersExceededWarning',
    );
  });

  it('its signal takes any number of listeners without a warning, and still aborts', async () => {
    const controller = sharedAbortController();
    let aborted = 0;
    expect(
      await warningsDuring(() => {
        listen(controller.signal, 50);
        controller.signal.addEventListener('abort', () => aborted++);
      }),
    ).toEqual([]);
    controller.abort(new Error('disconnected'));
    expect(aborted).toBe(1);
    expect(controller.signal.reason).toBeInstanceOf(Error);
  });
});
