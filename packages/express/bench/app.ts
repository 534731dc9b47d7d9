/**
 * One benchmark contender, run in its own process by test/bench/express.bench.ts so the load
 * generator does not share its event loop. Prints `{"port": n}` once listening.
 *
 * BENCH_MODE: ceiling | nocache | apicache | momento | momento-near
 */
import { createClient } from '@momento-http/core/node';
import apicache from 'apicache';
import express, { type RequestHandler } from 'express';
import { responseCache } from '../src/index';

const mode = process.env.BENCH_MODE ?? 'ceiling';
const body = Buffer.from(
  JSON.stringify({
    items: Array.from({ length: 12 }, (_, i) => ({ id: i, name: `item ${i}`, price: i * 3.5 })),
  }),
);

/** The origin: 5 ms of (asynchronous) work, as a database call would take. */
const origin: RequestHandler = (_req, res) => {
  setTimeout(() => {
    res.set('Cache-Control', 'public, max-age=300').type('json').send(body);
  }, 5);
};

const app = express();
// CPU time this process has used, so the benchmark can report CPU per request (less sensitive to a
// busy machine than requests/s).
app.get('/__cpu', (_req, res) => {
  const { user, system } = process.cpuUsage();
  res.json({ micros: user + system });
});
if (mode === 'ceiling') {
  app.get('/item', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('json').send(body);
  });
} else if (mode === 'nocache') {
  app.get('/item', origin);
} else if (mode === 'apicache') {
  app.get('/item', apicache.middleware('5 minutes'), origin);
} else {
  const client = createClient({
    baseUrl: process.env.BENCH_CACHE_URL,
    apiKey: process.env.BENCH_API_KEY,
  });
  app.use(
    responseCache({
      client,
      cacheName: 'default-cache',
      keyPrefix: `bench-${process.pid}|`,
      nearCache: mode === 'momento-near',
    }),
  );
  app.get('/item', origin);
}

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

// Exit normally on SIGTERM, so `--cpu-prof` profiles get written.
process.on('SIGTERM', () => process.exit(0));
