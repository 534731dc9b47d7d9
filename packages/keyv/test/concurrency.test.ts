/** Many operations at once on one store, as a busy app makes them, against the real local server. */
import { useLocalServer } from '@momento-http/test-kit';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { KeyvMomento } from '../src/index';
import { uniqueNamespace } from './helpers';

const local = useLocalServer();

describe('KeyvMomento under concurrency', () => {
  it('64 operations in flight print no MaxListenersExceededWarning (the disconnect signal is shared)', async () => {
    const keyv = new Keyv({
      store: new KeyvMomento({ client: local.client(), namespace: uniqueNamespace() }),
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const keys = Array.from({ length: 64 }, (_, i) => `k${i}`);
      await Promise.all(keys.map((key) => keyv.set(key, key)));
      expect(await Promise.all(keys.map((key) => keyv.get(key)))).toEqual(keys);
      // Warnings are emitted on a later tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
