/**
 * An AbortController whose signal many concurrent operations may listen to at once, such as a
 * store's "disconnect": every pending call of every operation adds one abort listener to it.
 *
 * Node prints a `MaxListenersExceededWarning` once more than 10 listeners sit on one AbortSignal.
 * Here that is the expected state under load, not a leak (each listener is removed when its call
 * settles), so the limit is lifted for this one signal. Node 20.16+ exposes the switch without an
 * import (`process.getBuiltinModule`), which keeps the default entry free of `node:` imports;
 * on older Nodes and other runtimes the signal is a plain one.
 */
export function sharedAbortController(): AbortController {
  const controller = new AbortController();
  nodeEvents()?.setMaxListeners?.(0, controller.signal);
  return controller;
}

interface NodeEvents {
  setMaxListeners?: (n: number, ...targets: EventTarget[]) => void;
}

function nodeEvents(): NodeEvents | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  try {
    return runtime?.getBuiltinModule?.('node:events') as NodeEvents | undefined;
  } catch {
    return undefined;
  }
}
