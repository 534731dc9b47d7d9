// Express behind a shared HTTP cache kept in Momento (or the local server, by env vars alone):
//   MOMENTO_API_KEY, MOMENTO_ENDPOINT (http://127.0.0.1:4545 for the local server), MOMENTO_CACHE_NAME.

import { responseCache } from '@momento-http/express';
import express from 'express';

const port = Number(process.env.PORT ?? 3000);
const app = express();
const cache = responseCache();
app.use(cache);

const products = new Map([
  ['1', { id: '1', name: 'Espresso cup', price: 12 }],
  ['2', { id: '2', name: 'Milk jug', price: 18 }],
]);

app.get('/', (_req, res) => {
  res
    .type('text')
    .send('Try GET /products/1 twice (X-Cache: MISS then HIT), then POST /products/1.\n');
});

// Cacheable by any shared cache for 60 s, tagged so one purge reaches every instance.
app.get('/products/:id', async (req, res) => {
  const product = products.get(req.params.id);
  if (!product) return res.status(404).json({ error: 'no such product' });
  await new Promise((r) => setTimeout(r, 50)); // the "slow origin" the cache saves us from
  res.set('Cache-Control', 'public, s-maxage=60');
  res.set('Cache-Tag', `product:${product.id}`);
  res.json({ ...product, renderedAt: new Date().toISOString() });
});

// A write: the middleware already invalidates this URL after a successful POST; purging the tag
// also reaches every other URL that showed this product.
app.post('/products/:id', async (req, res) => {
  const product = products.get(req.params.id);
  if (!product) return res.status(404).json({ error: 'no such product' });
  product.price += 1;
  await cache.purge({ tags: [`product:${product.id}`] });
  res.json({ updated: product, purged: [`product:${product.id}`] });
});

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`express-app listening on http://127.0.0.1:${port}`);
});
server.on('error', (error) => {
  console.error(error.code === 'EADDRINUSE' ? `port ${port} is already in use` : error.message);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => server.close(() => process.exit(0)));
