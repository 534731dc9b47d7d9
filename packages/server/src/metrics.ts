/** Latency buckets in seconds (Prometheus `le`). */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Counters for /metrics, kept as plain numbers and maps: recording is a few increments, and text
 * is only built when scraped.
 */
export class Metrics {
  /** Per operation, a count per status code (index = status; 0 = connection reset). */
  readonly #ops = new Map<string, Float64Array>();
  readonly #buckets = new Array<number>(BUCKETS.length + 1).fill(0);
  #latencySum = 0;
  #latencyCount = 0;
  hits = 0;
  misses = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Messages accepted by `POST /topics/…`. */
  topicPublishes = 0;
  /** Messages handed to subscribers (one per message per subscriber answer). */
  topicDeliveries = 0;

  /** `timed: false` counts the status only (long polls would swamp the latency histogram). */
  record(op: string, status: number, seconds: number, timed = true): void {
    let counts = this.#ops.get(op);
    if (counts === undefined) {
      counts = new Float64Array(600);
      this.#ops.set(op, counts);
    }
    counts[status >= 0 && status < 600 ? status : 0]!++;
    if (!timed) return;
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
    this.#buckets[i]!++;
    this.#latencySum += seconds;
    this.#latencyCount++;
  }

  /** Prometheus text exposition (version 0.0.4). */
  render(
    store: { bytes: number; items: number; evictions: number },
    openSubscriptions = 0,
  ): string {
    const lines: string[] = [
      '# HELP momento_http_requests_total Requests by operation and status.',
      '# TYPE momento_http_requests_total counter',
    ];
    for (const [op, counts] of this.#ops) {
      counts.forEach((count, status) => {
        if (count > 0)
          lines.push(`momento_http_requests_total{op="${op}",status="${status}"} ${count}`);
      });
    }
    const counter = (name: string, help: string, value: number) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${value}`);
    const gauge = (name: string, help: string, value: number) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
    counter('momento_http_cache_hits_total', 'Cache GETs that found the key.', this.hits);
    counter(
      'momento_http_cache_misses_total',
      'Cache GETs that did not find the key.',
      this.misses,
    );
    counter('momento_http_bytes_in_total', 'Value bytes received.', this.bytesIn);
    counter('momento_http_bytes_out_total', 'Value bytes sent.', this.bytesOut);
    counter(
      'momento_http_evictions_total',
      'Items evicted to stay inside the memory bound.',
      store.evictions,
    );
    counter(
      'momento_http_topic_publishes_total',
      'Messages published to topics.',
      this.topicPublishes,
    );
    counter(
      'momento_http_topic_deliveries_total',
      'Topic messages delivered to subscribers.',
      this.topicDeliveries,
    );
    gauge(
      'momento_http_topic_subscriptions',
      'Topic long polls waiting for a message right now.',
      openSubscriptions,
    );
    gauge('momento_http_items', 'Items stored (memory mode).', store.items);
    gauge('momento_http_memory_bytes', 'Accounted item bytes (memory mode).', store.bytes);
    lines.push(
      '# HELP momento_http_request_duration_seconds Request latency.',
      '# TYPE momento_http_request_duration_seconds histogram',
    );
    let cumulative = 0;
    for (let i = 0; i < BUCKETS.length; i++) {
      cumulative += this.#buckets[i]!;
      lines.push(`momento_http_request_duration_seconds_bucket{le="${BUCKETS[i]}"} ${cumulative}`);
    }
    cumulative += this.#buckets[BUCKETS.length]!;
    lines.push(
      `momento_http_request_duration_seconds_bucket{le="+Inf"} ${cumulative}`,
      `momento_http_request_duration_seconds_sum ${this.#latencySum}`,
      `momento_http_request_duration_seconds_count ${this.#latencyCount}`,
    );
    return `${lines.join('\n')}\n`;
  }
}
