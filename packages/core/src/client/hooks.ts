/** Request / response / error hooks, for metrics and logging. The library itself never logs. */

/** What every hook is told about the attempt. */
export interface RequestEvent {
  method: string;
  /** The request URL (no token: the token only travels in the `Authorization` header). */
  url: string;
  /** 0 for the first attempt, 1 for the first retry, and so on. */
  attempt: number;
}

export interface ResponseEvent extends RequestEvent {
  status: number;
  /** Time from sending the request to having read the whole response, in ms. */
  durationMs: number;
}

export interface ErrorEvent extends RequestEvent {
  error: unknown;
  durationMs: number;
  /** Whether the client will try again. */
  willRetry: boolean;
}

/** Hooks are called synchronously; an exception thrown by a hook is swallowed. */
export interface ClientHooks {
  /** Before each attempt is sent. */
  onRequest?: (event: RequestEvent) => void;
  /** After each HTTP response (any status). */
  onResponse?: (event: ResponseEvent) => void;
  /** After each failed attempt: an error status, a network error, a timeout or an abort. */
  onError?: (event: ErrorEvent) => void;
}

/** Calls a hook, ignoring what it throws: metrics code must never break a cache call. */
export function callHook<E>(hook: ((event: E) => void) | undefined, event: E): void {
  if (!hook) return;
  try {
    hook(event);
  } catch {
    // deliberately ignored, see above
  }
}
