/**
 * OpenTelemetry through the real `@opentelemetry/api`: a span per cache call with the cache name,
 * operation and outcome (never the key), counters for the stats() figures, nothing when off.
 */
import * as otel from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheStats } from '../../src/toolkit/cache-stats';
import { createMemoryStore } from '../../src/toolkit/memory-store';
import { TELEMETRY_ATTRIBUTES, useOpenTelemetry } from '../../src/toolkit/telemetry';
import { withStats } from '../../src/toolkit/with-stats';

interface RecordedSpan {
  name: string;
  kind: number | undefined;
  attributes: Record<string, unknown>;
  status?: { code: number };
  exceptions: unknown[];
  ended: boolean;
}

/** A tracer provider and a meter provider that record what they are given. */
function recordingProviders() {
  const spans: RecordedSpan[] = [];
  const counts = new Map<string, number>();
  const tracer = {
    startSpan(name: string, options: { kind?: number; attributes?: Record<string, unknown> } = {}) {
      const span: RecordedSpan = {
        name,
        kind: options.kind,
        attributes: { ...options.attributes },
        exceptions: [],
        ended: false,
      };
      spans.push(span);
      return {
        setAttribute: (key: string, value: unknown) => {
          span.attributes[key] = value;
        },
        setStatus: (status: { code: number }) => {
          span.status = status;
        },
        recordException: (error: unknown) => span.exceptions.push(error),
        end: () => {
          span.ended = true;
        },
      };
    },
  };
  const meter = {
    createCounter: (name: string) => ({
      add: (n: number) => counts.set(name, (counts.get(name) ?? 0) + n),
    }),
  };
  otel.trace.setGlobalTracerProvider({ getTracer: () => tracer } as unknown as otel.TracerProvider);
  otel.metrics.setGlobalMeterProvider({ getMeter: () => meter } as unknown as otel.MeterProvider);
  return { spans, counts };
}

afterEach(() => {
  useOpenTelemetry(undefined);
  otel.trace.disable();
  otel.metrics.disable();
});

describe('OpenTelemetry', () => {
  it('one client span per cache call: cache name, operation, outcome; the key never', async () => {
    const { spans } = recordingProviders();
    useOpenTelemetry(otel);
    const store = withStats(createMemoryStore('otel-cache'), new CacheStats());
    await store.get('user:42:secret');
    await store.set('user:42:secret', 'v', { ttlSeconds: 60 });
    await store.get('user:42:secret');
    await store.delete('user:42:secret');
    expect(spans.map((s) => [s.name, s.attributes[TELEMETRY_ATTRIBUTES.outcome]])).toEqual([
      ['momento-http get', 'miss'],
      ['momento-http set', 'ok'],
      ['momento-http get', 'hit'],
      ['momento-http delete', 'ok'],
    ]);
    for (const span of spans) {
      expect(span.kind).toBe(otel.SpanKind.CLIENT);
      expect(span.ended).toBe(true);
      expect(span.attributes[TELEMETRY_ATTRIBUTES.cacheName]).toBe('otel-cache');
      expect(JSON.stringify(span.attributes)).not.toContain('user:42');
    }
  });

  it('a failed call is an error span with the exception, and still rejects', async () => {
    const { spans } = recordingProviders();
    useOpenTelemetry(otel);
    const failure = new Error('down');
    const failing = {
      cacheName: 'broken',
      get: () => Promise.reject(failure),
      set: () => Promise.reject(failure),
      delete: () => Promise.reject(failure),
    };
    const store = withStats(failing, new CacheStats());
    await expect(store.get('k')).rejects.toBe(failure);
    expect(spans[0]).toMatchObject({
      attributes: { [TELEMETRY_ATTRIBUTES.outcome]: 'error' },
      status: { code: otel.SpanStatusCode.ERROR },
      exceptions: [failure],
      ended: true,
    });
  });

  it('counts the stats() figures as counters momento_http.<figure>', async () => {
    const { counts } = recordingProviders();
    useOpenTelemetry(otel);
    const stats = new CacheStats();
    const store = withStats(createMemoryStore('otel-counters'), stats);
    await store.set('k', 'four', { ttlSeconds: 60 });
    stats.recordRead(undefined);
    stats.recordRead({ entry: 'x', source: 'near' });
    stats.recordRead({ entry: 'x', verdict: 'stale' });
    stats.count('errors');
    expect(Object.fromEntries(counts)).toEqual({
      'momento_http.bytesWritten': 4,
      'momento_http.misses': 1,
      'momento_http.hits': 1,
      'momento_http.nearHits': 1,
      'momento_http.stale': 1,
      'momento_http.errors': 1,
    });
    expect(stats.snapshot()).toMatchObject({ hits: 1, misses: 1, stale: 1, errors: 1 });
  });

  it('records nothing until useOpenTelemetry is called, and nothing after it is turned off', async () => {
    const { spans, counts } = recordingProviders();
    const stats = new CacheStats();
    const store = withStats(createMemoryStore('otel-off'), stats);
    await store.get('k');
    stats.count('errors');
    useOpenTelemetry(otel);
    useOpenTelemetry(undefined);
    await store.get('k');
    expect([spans.length, counts.size]).toEqual([0, 0]);
  });
});
