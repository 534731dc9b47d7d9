/**
 * Sends one logical call: one deadline over every attempt, the caller's AbortSignal, exactly
 * `retries` extra attempts on retryable failures with jittered backoff, hooks with timing.
 */
import type { CallOptions } from '../contract';
import { CallAbort } from './abort';
import { assertNotExpired } from './credentials';
import { ConnectionError, InvalidArgumentError, type MomentoError, TimeoutError } from './errors';
import { type ClientHooks, callHook } from './hooks';
import { errorFromResponse, isPlainMiss, redactUrl } from './response-errors';
import { backoffDelayMs, sleep } from './retry';
import type { Transport, TransportRequest, TransportResponse } from './transport';

/** Everything a request needs from the client, fixed at construction. */
export interface RequestContext {
  transport: Transport;
  /** Headers sent on every request (`authorization`), never mutated. */
  headers: Record<string, string>;
  expiresAtMs: number | undefined;
  timeoutMs: number;
  retries: number;
  retryOn429: boolean;
  hooks: ClientHooks;
}

export interface RequestSpec {
  method: string;
  url: string;
  /** Replaces `RequestContext.headers` when extra headers are needed (must include auth). */
  headers?: Record<string, string> | undefined;
  body?: Uint8Array | undefined;
  /** A plain 404 (not "Cache/Store Not Found") is a miss: resolve `undefined`. */
  missOn404?: boolean;
  /** May this call be retried? Everything we send is idempotent; default true. */
  idempotent?: boolean;
  /** A topics long poll: the transport keeps it off the connections cache calls use. */
  longPoll?: boolean;
  /** Background work: neither the call's deadline nor its connection keeps the process alive. */
  background?: boolean;
}

/**
 * One attempt as a `TransportRequest`. A class (not an object literal with a getter): defining an
 * accessor on a literal is a slow runtime call on every request.
 */
class Attempt implements TransportRequest {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly body: Uint8Array | undefined,
    readonly abort: CallAbort,
    readonly longPoll: boolean,
    readonly background: boolean,
  ) {}

  get signal(): AbortSignal {
    return this.abort.signal;
  }
}

const now = () => globalThis.performance?.now() ?? Date.now();

/** Resolves the response (status < 300), `undefined` for a miss, or rejects with a typed error. */
export async function send(
  ctx: RequestContext,
  spec: RequestSpec,
  options: CallOptions | undefined,
): Promise<TransportResponse | undefined> {
  assertNotExpired(ctx.expiresAtMs);
  const userSignal = options?.signal;
  if (userSignal?.aborted) throw userSignal.reason;
  const timeoutMs = options?.timeoutMs ?? ctx.timeoutMs;
  if (!(timeoutMs > 0))
    throw new InvalidArgumentError(`timeoutMs must be positive, got ${timeoutMs}`);
  const { method, url } = spec;
  const deadline = now() + timeoutMs;

  const abort = new CallAbort();
  // No per-call closures on the common path: the timer gets its state as arguments.
  const timer = setTimeout(onDeadline, timeoutMs, abort, timeoutMs, method, url);
  // Background work (a coherence long poll) must not keep a process alive that is done.
  if (spec.background) (timer as { unref?: () => void }).unref?.();
  const onAbort = userSignal ? () => abort.abort(userSignal.reason) : undefined;
  if (onAbort) userSignal!.addEventListener('abort', onAbort, { once: true });

  const maxRetries = spec.idempotent === false ? 0 : ctx.retries;
  const headers = spec.headers ?? ctx.headers;
  const { hooks } = ctx;
  try {
    for (let attempt = 0; ; attempt++) {
      const started = now();
      // Hook events are only built when someone listens: this is the hot path.
      if (hooks.onRequest) callHook(hooks.onRequest, { method, url, attempt });
      let error: MomentoError;
      try {
        const response = await ctx.transport(
          new Attempt(
            method,
            url,
            headers,
            spec.body,
            abort,
            spec.longPoll === true,
            spec.background === true,
          ),
        );
        if (hooks.onResponse) {
          const durationMs = now() - started;
          callHook(hooks.onResponse, { method, url, attempt, status: response.status, durationMs });
        }
        if (response.status < 300) return response;
        if (spec.missOn404 && isPlainMiss(response)) return undefined;
        error = errorFromResponse(response, method, url, ctx.retryOn429);
      } catch (cause) {
        if (abort.aborted) {
          const reason = abort.reason;
          const durationMs = now() - started;
          callHook(hooks.onError, {
            method,
            url,
            attempt,
            error: reason,
            durationMs,
            willRetry: false,
          });
          throw reason;
        }
        const detail = cause instanceof Error ? cause.message : String(cause);
        const refused = spec.body !== undefined && stoppedReadingBody(cause);
        error = new ConnectionError(
          refused
            ? `Request failed: the server stopped reading the body (${detail}); it refused the request early, so it is not re-sent`
            : `Request failed: ${detail}`,
          { method, url: redactUrl(url), cause, retryable: !refused },
        );
      }
      const delay = retryDelay(error, attempt, maxRetries, deadline);
      callHook(hooks.onError, {
        method,
        url,
        attempt,
        error,
        durationMs: now() - started,
        willRetry: delay !== undefined,
      });
      if (delay === undefined) throw error;
      await sleep(delay, abort);
    }
  } finally {
    clearTimeout(timer);
    if (onAbort) userSignal!.removeEventListener('abort', onAbort);
  }
}

/**
 * Whether a failure means the server closed its side while we were still sending the body
 * (EPIPE): it answered early (a 413 for a value over its limit, say) and dropped the rest.
 * Re-sending the same body would meet the same answer, so such a write is never retried.
 */
function stoppedReadingBody(cause: unknown): boolean {
  for (let error = cause, depth = 0; error && depth < 4; depth++) {
    if ((error as { code?: unknown }).code === 'EPIPE') return true;
    error = (error as { cause?: unknown }).cause;
  }
  return false;
}

function onDeadline(abort: CallAbort, timeoutMs: number, method: string, url: string): void {
  abort.abort(
    new TimeoutError(`Deadline of ${timeoutMs} ms exceeded`, { method, url: redactUrl(url) }),
  );
}

/** How long to wait before the next attempt, or `undefined` to give up with this error. */
function retryDelay(
  error: MomentoError,
  attempt: number,
  maxRetries: number,
  deadline: number,
): number | undefined {
  if (!error.retryable || attempt >= maxRetries) return undefined;
  const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
  const delay = retryAfter !== undefined ? retryAfter * 1000 : backoffDelayMs(attempt);
  // A retry that cannot start before the deadline would only turn this error into a timeout.
  return now() + delay < deadline ? delay : undefined;
}
