/**
 * A real HTTP proxy on 127.0.0.1 in front of the local server that damages chosen answers:
 * garbage or truncated bodies, delays, resets and 5xx, per request (method, path, cache key).
 * Point a client's `baseUrl` at `proxy.url`; everything no rule matches passes through unchanged.
 */
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import {
  cacheKeyOf,
  checkRule,
  GARBAGE,
  matches,
  type ProxyFault,
  type ProxyRule,
  type RequestMatch,
  type SeenRequest,
} from './proxy-rules';

/** A rule in force; `hits` counts the requests it affected. */
export interface ActiveRule {
  readonly hits: number;
  remove(): void;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: use it as the client's `baseUrl`. */
  readonly url: string;
  /** Adds a rule at run time; the first matching rule in force decides. */
  add(rule: ProxyRule): ActiveRule;
  /** Removes every rule (the request log stays). */
  clear(): void;
  /** Requests seen so far that match (all of them without `match`), damaged or not. */
  count(match?: RequestMatch): number;
  /** Every request seen so far, in arrival order. */
  readonly requests: readonly SeenRequest[];
  /** Empties the request log. */
  forget(): void;
  close(): Promise<void>;
}

interface LiveRule {
  rule: ProxyRule;
  remaining: number;
  hits: number;
}

/** Hop-by-hop headers, and the length the proxy sets itself. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let rules: LiveRule[] = [];
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const pick = (seen: SeenRequest): LiveRule | undefined => {
    const live = rules.find((r) => r.remaining > 0 && matches(r.rule, seen));
    if (!live) return undefined;
    live.hits++;
    if (--live.remaining <= 0) rules = rules.filter((r) => r !== live);
    return live;
  };

  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        const headers: IncomingHttpHeaders = { ...withoutHopByHop(req.headers) };
        headers.host = upstream.host;
        headers['content-length'] = String(body.length);
        const out = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers,
            agent,
          },
          (res) => {
            const parts: Buffer[] = [];
            res.on('data', (part: Buffer) => parts.push(part));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 502,
                headers: res.headers,
                body: Buffer.concat(parts),
              }),
            );
            res.on('error', reject);
          },
        );
        out.on('error', reject);
        out.end(body);
      },
    );

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      key: cacheKeyOf(url.searchParams),
    };
    requests.push(seen);
    const live = pick(seen);
    if (live?.rule.delayMs) await wait(live.rule.delayMs);
    if (res.destroyed) return;
    const fault = live?.rule.fault;
    if (fault?.kind === 'reset') return void resetConnection(req.socket);
    if (fault?.kind === 'status') return void answer(res, fault.status, fault.body ?? 'injected');
    if (fault?.kind === 'garbage') return void answer(res, 200, fault.body ?? GARBAGE);
    const reply = await forward(req, body);
    if (fault?.kind === 'truncate') return void truncated(res, reply, fault);
    res.writeHead(reply.status, {
      ...withoutHopByHop(reply.headers),
      'content-length': reply.body.length,
    });
    res.end(reply.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    add(rule) {
      checkRule(rule);
      const live: LiveRule = { rule, remaining: rule.count ?? Number.POSITIVE_INFINITY, hits: 0 };
      rules.push(live);
      return {
        get hits() {
          return live.hits;
        },
        remove: () => {
          rules = rules.filter((r) => r !== live);
        },
      };
    },
    clear() {
      rules = [];
    },
    count: (match = {}) => requests.filter((seen) => matches(match, seen)).length,
    requests,
    forget() {
      requests.length = 0;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** {@link startFaultProxy} in front of `target` for one file or block (`beforeAll`/`afterAll`). */
export function useFaultProxy(target: { readonly url: string }): FaultProxy {
  let running: FaultProxy | undefined;
  beforeAll(async () => {
    running = await startFaultProxy(target.url);
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  const current = (): FaultProxy => {
    if (!running) throw new Error('useFaultProxy: the proxy exists only while tests run');
    return running;
  };
  return {
    get url() {
      return current().url;
    },
    add: (rule) => current().add(rule),
    clear: () => current().clear(),
    count: (match) => current().count(match),
    get requests() {
      return current().requests;
    },
    forget: () => current().forget(),
    close: () => current().close(),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!NOT_FORWARDED.has(name)) out[name] = value;
  }
  return out;
}

function answer(res: ServerResponse, status: number, body: string | Uint8Array): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/octet-stream',
    'content-length': bytes.length,
  });
  res.end(bytes);
}

function truncated(
  res: ServerResponse,
  reply: { status: number; headers: IncomingHttpHeaders; body: Buffer },
  fault: Extract<ProxyFault, { kind: 'truncate' }>,
): void {
  const whole = reply.body.length;
  const keep = Math.min(fault.keepBytes ?? Math.floor(whole / 2), Math.max(whole - 1, 0));
  const part = reply.body.subarray(0, keep);
  const headers = withoutHopByHop(reply.headers);
  if (fault.contentLength === 'matching') {
    res.writeHead(reply.status, { ...headers, 'content-length': keep });
    res.end(part);
    return;
  }
  // The full length is announced, fewer bytes follow, then the connection closes: a cut-off.
  res.writeHead(reply.status, { ...headers, 'content-length': whole });
  res.write(part, () => res.socket?.destroy());
}

function resetConnection(socket: Socket): void {
  // A TCP RST where Node supports it (18.x+), otherwise a plain close.
  const withReset = socket as Socket & { resetAndDestroy?: () => void };
  if (withReset.resetAndDestroy) withReset.resetAndDestroy();
  else socket.destroy();
}
