/**
 * OpenTelemetry, when the app asks for it: `useOpenTelemetry(api)` with the `@opentelemetry/api`
 * module the app already has. A registry rather than an import, because core's default entry runs
 * on every runtime (no `node:`, no `require`) and in CJS (no top-level await), and an optional
 * peer must not be loaded by core at all when it is absent: until the app calls this, every
 * check below is one `undefined` test and nothing else runs.
 */
import type { CacheStatsSnapshot } from './cache-stats';

/** The parts of `@opentelemetry/api` used here (structural, so core needs no import of it). */
export interface OpenTelemetryApi {
  trace: { getTracer(name: string, version?: string): TelemetryTracer };
  metrics: { getMeter(name: string, version?: string): TelemetryMeter };
}

interface TelemetryTracer {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: Record<string, string | number> },
  ): TelemetrySpan;
}

interface TelemetrySpan {
  setAttribute(key: string, value: string | number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): unknown;
  end(): void;
}

interface TelemetryMeter {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    add(value: number, attributes?: Record<string, string>): void;
  };
}

/** `SpanKind.CLIENT` and `SpanStatusCode.ERROR` of the API (stable numbers of its spec). */
const CLIENT = 2;
const ERROR = 2;

const SCOPE = 'momento-http';

/** What a span says about one cache call. */
export const TELEMETRY_ATTRIBUTES = {
  cacheName: 'momento_http.cache.name',
  operation: 'momento_http.operation',
  outcome: 'momento_http.outcome',
} as const;

interface Active {
  tracer: TelemetryTracer;
  meter: TelemetryMeter;
  counters: Partial<Record<keyof CacheStatsSnapshot, ReturnType<TelemetryMeter['createCounter']>>>;
}

// On globalThis: the ESM and CJS builds of core in one process share one registration.
const REGISTRY = Symbol.for('momento-http.opentelemetry');
type Registry = { [REGISTRY]?: Active };

/**
 * Turns OpenTelemetry on for every @momento-http package in the process: a span per cache call
 * and counters for the `stats()` figures. `undefined` turns it off again.
 *
 * @example
 * import * as otel from '@opentelemetry/api';
 * import { useOpenTelemetry } from '@momento-http/core';
 * useOpenTelemetry(otel);
 */
export function useOpenTelemetry(api: OpenTelemetryApi | undefined): void {
  const registry = globalThis as Registry;
  if (api === undefined) {
    delete registry[REGISTRY];
    return;
  }
  registry[REGISTRY] = {
    tracer: api.trace.getTracer(SCOPE),
    meter: api.metrics.getMeter(SCOPE),
    counters: {},
  };
}

function active(): Active | undefined {
  return (globalThis as Registry)[REGISTRY];
}

/** Adds `n` to the counter `momento_http.<figure>` (nothing when OpenTelemetry is off). */
export function countTelemetry(figure: keyof CacheStatsSnapshot, n: number): void {
  const on = active();
  if (!on) return;
  on.counters[figure] ??= on.meter.createCounter(`momento_http.${figure}`, {
    description: `momento-http cache ${figure} (as in stats())`,
    unit: figure.startsWith('bytes') ? 'By' : '{read}',
  });
  on.counters[figure].add(n);
}

/**
 * Runs one cache call in a span `momento-http <operation>` (a client span with the cache name,
 * the operation and its outcome: `hit`, `miss`, `ok` or `error`). The key is not recorded: keys
 * often carry user ids or URLs with personal data, and they would make every span unique. With
 * OpenTelemetry off, `call()` is all that runs.
 */
export function traced<T>(
  operation: 'get' | 'set' | 'delete',
  cacheName: string,
  call: () => Promise<T>,
): Promise<T> {
  const on = active();
  // Not async: with OpenTelemetry off, the call's own promise is returned, no extra one.
  return on ? inSpan(on, operation, cacheName, call) : call();
}

async function inSpan<T>(
  on: Active,
  operation: 'get' | 'set' | 'delete',
  cacheName: string,
  call: () => Promise<T>,
): Promise<T> {
  const span = on.tracer.startSpan(`momento-http ${operation}`, {
    kind: CLIENT,
    attributes: {
      [TELEMETRY_ATTRIBUTES.cacheName]: cacheName,
      [TELEMETRY_ATTRIBUTES.operation]: operation,
    },
  });
  try {
    const result = await call();
    const outcome = operation === 'get' ? (result === undefined ? 'miss' : 'hit') : 'ok';
    span.setAttribute(TELEMETRY_ATTRIBUTES.outcome, outcome);
    return result;
  } catch (error) {
    span.setAttribute(TELEMETRY_ATTRIBUTES.outcome, 'error');
    span.setStatus({ code: ERROR, message: error instanceof Error ? error.name : 'error' });
    if (error instanceof Error) span.recordException(error);
    throw error;
  } finally {
    span.end();
  }
}
