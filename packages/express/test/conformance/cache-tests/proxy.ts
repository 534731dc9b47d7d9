import { type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/** Request fields that describe this hop only (RFC 9110 §7.6.1); Node frames the next hop itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
]);

function forwardedRequestHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/**
 * The "application" behind the cache in the conformance run: every request is sent on to `origin`
 * and its answer replayed as the handler's own response — status, reason, every header (repeated
 * ones kept apart, `Connection` included so the cache sees what it lists), interim 1xx responses
 * and the body — as a reverse proxy would. Framing (`Transfer-Encoding`) is Node's business on each
 * side.
 */
export function forwardTo(origin: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const upstream = request(new URL(req.originalUrl, origin), {
      method: req.method,
      headers: forwardedRequestHeaders(req.headers),
    });
    upstream.on('information', (info) => {
      if (info.statusCode === 102) res.writeProcessing();
      else if (info.statusCode === 103) {
        res.writeEarlyHints(info.headers as Record<string, string | string[]>);
      }
    });
    let answered: IncomingMessage | undefined;
    upstream.on('response', (answer) => {
      answered = answer;
      res.statusCode = answer.statusCode ?? 502;
      if (answer.statusMessage) res.statusMessage = answer.statusMessage;
      const grouped = new Map<string, string[]>();
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        const name = (answer.rawHeaders[i] as string).toLowerCase();
        if (name === 'transfer-encoding' || name === 'keep-alive') continue;
        const values = grouped.get(name) ?? [];
        values.push(answer.rawHeaders[i + 1] as string);
        grouped.set(name, values);
      }
      for (const [name, values] of grouped) {
        res.setHeader(name, values.length === 1 ? (values[0] as string) : values);
      }
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      // The origin dropped the connection (the suite does so on purpose). Before any answer a
      // gateway says 502 Bad Gateway (Express's error handler, from `status`); after, it can only
      // drop the client's connection too.
      // A complete answer stays complete (bytes past its Content-Length break only that upstream
      // connection, and may be reported before the answer's last bytes are passed on).
      if (answered?.complete || res.writableEnded) return;
      if (answered || res.headersSent) res.destroy();
      else next(Object.assign(error, { status: 502 }));
    });
    req.pipe(upstream);
  };
}
