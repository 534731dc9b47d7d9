// Express behind a shared HTTP cache kept in Momento (or the local server), configured by env vars
// alone: MOMENTO_API_KEY, MOMENTO_ENDPOINT (http://127.0.0.1:4545 for the local server),
// MOMENTO_CACHE_NAME (default 'default-cache'), PORT (default 3000).

import { responseCache } from '@momento-http/express';
import express from 'express';

const port = Number(process.env.PORT ?? 3000);
const app = express();
// The library never logs; an app that wants to see cache trouble says so. Requests never fail
// because of the cache: a failed read is a miss.
let cache;
try {
  cache = responseCache({
    // A read slower than this is a miss. The default (250 ms) bounds what the cache adds to a
    // request in production; a demo on a busy laptop gets more room.
    readTimeoutMs: 1000,
    onError: (error, operation) => console.warn(`cache ${operation} failed: ${error.message}`),
  });
} catch (error) {
  // A missing or malformed MOMENTO_API_KEY / MOMENTO_ENDPOINT: say which, without a stack trace.
  console.error(`express-app: ${error.message} (see examples/express-app/README.md)`);
  process.exit(1);
}
app.use(cache);
app.use(express.urlencoded({ extended: false }), express.json());

const products = new Map([
  ['1', { id: '1', name: 'Espresso cup', price: 12 }],
  ['2', { id: '2', name: 'Milk jug', price: 18 }],
]);
/** The "slow origin" the cache saves us from. */
const slowOrigin = () => new Promise((resolve) => setTimeout(resolve, 100));

app.get('/', (_req, res) => {
  res
    .type('text')
    .send(
      [
        'express-app: @momento-http/express',
        '',
        'GET  /products            cached 60 s, tags product:1 product:2',
        'GET  /products/:id        cached 60 s, tag product:<id>',
        'POST /products/:id/price  price=13 updates the product and purges tag product:<id>',
        '',
        'Watch the X-Cache header: curl -si localhost:3000/products/1 | grep -iE "^x-cache|price"',
        '',
      ].join('\n'),
    );
});

// Cacheable by any shared cache for 60 s. Every page is tagged with the products it shows, so one
// purge of `product:1` reaches /products/1 and /products on every instance sharing the cache.
app.get('/products', async (_req, res) => {
  await slowOrigin();
  res.set('Cache-Control', 'public, s-maxage=60');
  res.set('Cache-Tag', [...products.keys()].map((id) => `product:${id}`).join(', '));
  res.json({ products: [...products.values()], renderedAt: new Date().toISOString() });
});

app.get('/products/:id', async (req, res) => {
  const product = products.get(req.params.id);
  if (!product) return res.status(404).json({ error: 'no such product' });
  await slowOrigin();
  res.set('Cache-Control', 'public, s-maxage=60');
  res.set('Cache-Tag', `product:${product.id}`);
  res.json({ ...product, renderedAt: new Date().toISOString() });
});

// A write to another URL than the cached pages: only the tag purge can reach them.
app.post('/products/:id/price', async (req, res) => {
  const product = products.get(req.params.id);
  if (!product) return res.status(404).json({ error: 'no such product' });
  const price = Number(req.body?.price);
  if (!Number.isFinite(price) || price < 0)
    return res.status(400).json({ error: 'price must be a number ≥ 0' });
  product.price = price;
  const tags = [`product:${product.id}`];
  try {
    await cache.purge({ tags });
    res.json({ updated: product, purged: tags });
  } catch (error) {
    // The write happened; say that the cached pages may stay old until they expire.
    console.warn(`purge failed: ${error.message}`);
    res.json({ updated: product, purged: [], warning: 'cache purge failed' });
  }
});

// Express 5 hands a listen error (such as EADDRINUSE) to this callback.
const server = app.listen(port, '127.0.0.1', (error) => {
  if (!error) return console.log(`express-app listening on http://127.0.0.1:${port}`);
  console.error(
    error.code === 'EADDRINUSE'
      ? `express-app: port ${port} is already in use (set PORT to use another)`
      : `express-app: ${error.message}`,
  );
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Keep-alive connections in the middle of a request get a moment to finish.
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
