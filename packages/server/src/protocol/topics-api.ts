/**
 * `POST /topics/{cache}/{topic}` (publish) and `GET /topics/{cache}/{topic}?sequence_number=&
 * sequence_page=` (long-poll subscribe), as Momento's HTTP API reference for Topics describes them.
 * Order of checks, as on the cache API: method, query, auth (401), permission (403), cache exists
 * (404), topic name and parameters (400), size (413).
 */
import { allowsKey, allowsTopic } from '../auth/keys.js';
import { isValidName } from '../options.js';
import type { TopicBatch, TopicPosition } from '../topics/types.js';
import { authenticate, forbidden } from './access.js';
import { parseQuery, type Query } from './query.js';
import type { Context } from './server-context.js';
import {
  json,
  methodNotAllowed,
  NO_CONTENT,
  type ProtocolRequest,
  type ProtocolResponse,
  text,
} from './types.js';

const ALLOW = 'GET, POST';
const CACHE_NOT_FOUND = text(404, 'Cache Not Found');
/** Topic names: like cache keys, any text; bounded so a name cannot grow server memory much. */
const MAX_TOPIC_BYTES = 255;
/** Up to 2^53 - 1 (pages in Redis mode are 16-digit microsecond epochs). */
const SEQUENCE = /^[0-9]{1,16}$/;

export async function handleTopic(
  ctx: Context,
  req: ProtocolRequest,
  rawCache: string,
  rawTopic: string,
  qs: string,
): Promise<ProtocolResponse> {
  const publish = req.method === 'POST';
  if (!publish && req.method !== 'GET') return methodNotAllowed(ALLOW);
  const cache = decode(rawCache);
  const topic = decode(rawTopic);
  if (cache === undefined || topic === undefined)
    return text(400, 'Malformed percent-encoding in the path');
  const query = parseQuery(qs);
  if (query.errors?.token) return text(400, query.errors.token);

  const grant = authenticate(ctx, req, query.token);
  if ('status' in grant) return grant;
  if (!allowsTopic(grant, cache, publish))
    return forbidden(`${publish ? 'publishing to' : 'subscribing to'} topics of cache '${cache}'`);
  if (!(await cacheExists(ctx, cache))) return CACHE_NOT_FOUND;

  const bytes = Buffer.byteLength(topic);
  if (bytes > MAX_TOPIC_BYTES)
    return text(400, `The topic name must be at most ${MAX_TOPIC_BYTES} bytes`);
  if (!allowsKey(grant, Buffer.from(topic)))
    return forbidden('this topic (outside the key prefix of the API key)');
  return publish
    ? publishMessage(ctx, req, cache, topic)
    : subscribe(ctx, req, cache, topic, query);
}

/** Same rule as the cache API: known here, known to shared storage, or auto-created. */
async function cacheExists(ctx: Context, cache: string): Promise<boolean> {
  if (ctx.caches.has(cache)) return true;
  if (!isValidName(cache)) return false;
  if (!(await ctx.items.hasCache?.(cache))) {
    if (!ctx.options.autoCreateCaches) return false;
    await ctx.items.addCache?.(cache);
  }
  ctx.caches.add(cache);
  return true;
}

async function publishMessage(
  ctx: Context,
  req: ProtocolRequest,
  cache: string,
  topic: string,
): Promise<ProtocolResponse> {
  const type = (req.header('content-type') ?? 'application/octet-stream')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const isText = type === 'text/plain';
  if (!isText && type !== 'application/octet-stream')
    return text(400, 'Content-Type must be text/plain (UTF-8 text) or application/octet-stream');
  const limit = ctx.options.maxItemBytes;
  const body = await req.readBody(limit);
  if (body === undefined) {
    return {
      ...text(413, `Message size limit exceeded: at most ${limit} bytes`),
      bodyUnread: true,
    };
  }
  if (isText && !isUtf8(body)) return text(400, 'A text/plain message must be valid UTF-8');
  await ctx.topics.publish(cache, topic, body, isText);
  ctx.metrics.topicPublishes++;
  ctx.metrics.bytesIn += body.length;
  return NO_CONTENT;
}

async function subscribe(
  ctx: Context,
  req: ProtocolRequest,
  cache: string,
  topic: string,
  query: Query,
): Promise<ProtocolResponse> {
  const position = parsePosition(query);
  if (!('sequencePage' in position)) return position;
  const bound = longPollBound(ctx, req);
  try {
    const batch = await ctx.topics.read(cache, topic, position, bound.signal);
    ctx.metrics.topicDeliveries += batch.messages.length;
    // Released by a closing server: close the connection too, so shutdown need not wait for it.
    return ctx.shutdown.signal.aborted
      ? json(200, wireItems(batch), { connection: 'close' })
      : json(200, wireItems(batch));
  } finally {
    bound.release();
  }
}

function parsePosition(query: Query): TopicPosition | ProtocolResponse {
  const values: number[] = [];
  for (const name of ['sequence_number', 'sequence_page'] as const) {
    const error = query.errors?.[name];
    if (error) return text(400, error);
    const raw = query[name];
    if (raw === undefined || raw === '') {
      values.push(0);
      continue;
    }
    if (!SEQUENCE.test(raw) || !Number.isSafeInteger(Number(raw)))
      return text(400, `${name} must be a non-negative integer`);
    values.push(Number(raw));
  }
  return { sequenceNumber: values[0]!, sequencePage: values[1]! };
}

/** Aborts when the poll has waited long enough, or at once when the server closes or the client leaves. */
function longPollBound(
  ctx: Context,
  req: ProtocolRequest,
): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  const stopListening = req.onGone?.(stop);
  const timer = setTimeout(stop, ctx.options.topicLongPollMs);
  const shutdown = ctx.shutdown.signal;
  if (shutdown.aborted) controller.abort();
  else shutdown.addEventListener('abort', stop, { once: true });
  return {
    signal: controller.signal,
    release() {
      clearTimeout(timer);
      stopListening?.();
      shutdown.removeEventListener('abort', stop);
    },
  };
}

/** The reference's JSON: a `discontinuity` element first when there is a gap, then `item`s. */
function wireItems(batch: TopicBatch): { items: unknown[] } {
  const items: unknown[] = [];
  if (batch.discontinuity) {
    items.push({
      discontinuity: {
        last_topic_sequence: batch.discontinuity.lastSequence,
        new_topic_sequence: batch.discontinuity.newSequence,
        new_sequence_page: batch.page,
      },
    });
  }
  for (const message of batch.messages) {
    items.push({
      item: {
        topic_sequence_number: message.sequenceNumber,
        sequence_page: batch.page,
        value: message.text
          ? { text: message.value.toString('utf8') }
          : { binary: message.value.toString('base64') },
      },
    });
  }
  return { items };
}

function decode(segment: string): string | undefined {
  if (segment.indexOf('%') === -1) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function isUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
