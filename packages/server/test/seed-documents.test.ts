/**
 * A walk through every endpoint and every documented status of the seed documents (the cache
 * HTTP API, the object store HTTP API and the Valkey cluster control plane), each step named in
 * the document's own words. Steps run in order: later ones build on what earlier ones created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { call, start } from './helpers.js';

let server: RunningServer;
let superUser: string;
let readOnly: string;
let expired: string;
beforeAll(async () => {
  server = await start({ clusterActivationMs: 1, rateLimit: { opsPerSecond: 1000, burst: 1000 } });
  superUser = server.createApiKey();
  readOnly = server.createApiKey({ role: 'readonly' });
  expired = server.createApiKey({ expiresInSeconds: 1 });
});
afterAll(() => server.close());

interface Step {
  says: string;
  path: string;
  method?: string;
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  text?: string | RegExp;
  json?: unknown;
  /** A response header the document says every such answer carries, and its form. */
  carries?: [name: string, form: RegExp];
}

async function walk(steps: Step[]): Promise<void> {
  for (const step of steps) {
    const body =
      step.body === undefined || typeof step.body === 'string'
        ? (step.body as string | undefined)
        : JSON.stringify(step.body);
    const r = await call(server, step.path, {
      method: step.method ?? 'GET',
      ...(step.key === null ? {} : { key: step.key ?? superUser }),
      body,
      headers: {
        ...(typeof step.body === 'object' ? { 'content-type': 'application/json' } : {}),
        ...step.headers,
      },
    });
    expect([step.says, r.status]).toEqual([step.says, step.status]);
    if (typeof step.text === 'string') expect([step.says, r.body]).toEqual([step.says, step.text]);
    if (step.text instanceof RegExp) expect(r.body, step.says).toMatch(step.text);
    if (step.json !== undefined) expect(JSON.parse(r.body), step.says).toEqual(step.json);
    if (step.carries) expect(r.headers.get(step.carries[0]), step.says).toMatch(step.carries[1]);
  }
}

const cluster = {
  node_instance_type: 'cache.r7g.large',
  shard_count: 2,
  replication_factor: 1,
  enforce_shard_multi_az: false,
};
/** `mo-request-id`: a UUIDv7 on every object store data-plane answer. */
const REQUEST_ID: [string, RegExp] = [
  'mo-request-id',
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
];
const store = {
  storage_config: { s3: { bucket_name: 'my-s3-bucket', iam_role_arn: 'arn:aws:iam::1:role/r' } },
  cache_config: { valkey_cluster: { cluster_name: 'my-valkey-cluster' } },
};

describe('Valkey cluster control plane', () => {
  it('walks every endpoint and status', async () => {
    await walk([
      {
        says: 'PUT /cluster/{clusterName} creates: 200 with the cluster and its status',
        path: '/cluster/my-valkey-cluster',
        method: 'PUT',
        body: cluster,
        status: 200,
        json: { name: 'my-valkey-cluster', ...cluster, shard_placements: [], status: 'Creating' },
      },
      {
        says: 'PUT /cluster/{clusterName} updates: 200 with the cluster and its status',
        path: '/cluster/my-valkey-cluster',
        method: 'PUT',
        body: { ...cluster, shard_count: 3 },
        status: 200,
        json: {
          name: 'my-valkey-cluster',
          ...cluster,
          shard_count: 3,
          shard_placements: [],
          status: 'Updating',
        },
      },
      {
        says: 'a bad body: 400 Invalid cluster configuration',
        path: '/cluster/other',
        method: 'PUT',
        body: { ...cluster, shard_count: 0 },
        status: 400,
        text: /^Invalid cluster configuration: shard_count must be an integer >= 1$/,
      },
      {
        says: 'a body that is not JSON: 400',
        path: '/cluster/other',
        method: 'PUT',
        body: '{',
        status: 400,
      },
      {
        says: 'GET /cluster: 200 with a JSON array of clusters',
        path: '/cluster',
        status: 200,
        text: /^\[\{"name":"my-valkey-cluster",.*"shard_count":3,/,
      },
      { says: 'no API key: 401', path: '/cluster', key: null, status: 401 },
      { says: 'not a super-user key: 403', path: '/cluster', key: readOnly, status: 403 },
      {
        says: '/ec-cluster answers the same clusters (the alias)',
        path: '/ec-cluster',
        status: 200,
        json: { clusters: [{ name: 'my-valkey-cluster' }] },
      },
    ]);
  });
});

describe('object store control plane and data plane', () => {
  it('walks every endpoint and status', async () => {
    await walk([
      {
        says: 'Create Object Store: 201 Created for a new object store',
        path: '/objectstore/my-store',
        method: 'PUT',
        body: store,
        status: 201,
        json: { name: 'my-store', ...store },
      },
      {
        says: 'Create or Update Object Store: 200 OK when an existing one is updated',
        path: '/objectstore/my-store',
        method: 'PUT',
        body: store,
        status: 200,
      },
      {
        says: '400 Bad Request: the request was incorrectly specified',
        path: '/objectstore/other-store',
        method: 'PUT',
        body: { cache_config: store.cache_config },
        status: 400,
      },
      {
        says: '401 Unauthorized: the API key is invalid or expired',
        path: '/objectstore/my-store',
        method: 'PUT',
        key: 'not-a-key',
        body: store,
        status: 401,
      },
      {
        says: '403 Forbidden: the API key does not grant the required access',
        path: '/objectstore/my-store',
        method: 'PUT',
        key: readOnly,
        body: store,
        status: 403,
      },
      {
        says: 'Describe Object Store: 200 OK',
        path: '/objectstore/my-store',
        status: 200,
        json: { name: 'my-store', ...store },
      },
      {
        says: 'Describe: 404 Not Found, the object store does not exist',
        path: '/objectstore/nope',
        status: 404,
      },
      { says: 'Describe: 401', path: '/objectstore/my-store', key: 'not-a-key', status: 401 },
      {
        says: 'List Object Stores: 200 OK',
        path: '/objectstore',
        status: 200,
        json: { object_stores: [{ name: 'my-store' }] },
      },
      { says: 'List: 401', path: '/objectstore', key: 'not-a-key', status: 401 },
      {
        says: 'Put Object: stored, metadata from mo-meta-*',
        path: '/objectstore/my-store/folder/subfolder/file.txt',
        method: 'PUT',
        body: 'hello',
        headers: { 'mo-meta-content-type': 'text/plain', 'mo-tag-env': 'dev' },
        status: 204,
        carries: REQUEST_ID,
      },
      {
        says: 'Get Object: 200 with the metadata',
        path: '/objectstore/my-store/folder/subfolder/file.txt',
        status: 200,
        text: 'hello',
        carries: ['content-type', /^text\/plain$/],
      },
      {
        says: 'Get Object: 404 Object not found.',
        path: '/objectstore/my-store/missing',
        status: 404,
        text: 'Object not found.',
        carries: REQUEST_ID,
      },
      {
        says: 'Get Object in a store that does not exist: 404 Store Not Found',
        path: '/objectstore/nope/file.txt',
        status: 404,
        text: 'Store Not Found',
      },
      {
        says: 'Put Object: 400 for more than 10 tags',
        path: '/objectstore/my-store/tags',
        method: 'PUT',
        body: 'x',
        headers: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`mo-tag-t${i}`, 'v'])),
        status: 400,
      },
      {
        says: 'Put Object: 401 without a key',
        path: '/objectstore/my-store/a',
        method: 'PUT',
        key: null,
        body: 'x',
        status: 401,
      },
      {
        says: 'Put Object: mo-persistence ephemeral, ttl_seconds over its 10-minute maximum: 400',
        path: '/objectstore/my-store/short-lived?ttl_seconds=601',
        method: 'PUT',
        body: 'x',
        headers: { 'mo-persistence': 'ephemeral' },
        status: 400,
        carries: REQUEST_ID,
      },
      {
        says: 'CORS: OPTIONS returns 204',
        path: '/objectstore/my-store/folder/subfolder/file.txt',
        method: 'OPTIONS',
        key: null,
        status: 204,
        carries: ['access-control-allow-origin', /^\*$/],
      },
      {
        says: 'Delete Object: 204',
        path: '/objectstore/my-store/folder/subfolder/file.txt',
        method: 'DELETE',
        status: 204,
        carries: REQUEST_ID,
      },
      {
        says: 'Delete Object: 204 even if the object was already absent',
        path: '/objectstore/my-store/folder/subfolder/file.txt',
        method: 'DELETE',
        status: 204,
      },
      {
        says: 'Delete Object Store: 200 OK',
        path: '/objectstore/my-store',
        method: 'DELETE',
        status: 200,
      },
      {
        says: 'Delete Object Store: 404 Not Found',
        path: '/objectstore/my-store',
        method: 'DELETE',
        status: 404,
      },
      {
        says: 'Delete Object Store: 401',
        path: '/objectstore/my-store',
        method: 'DELETE',
        key: 'not-a-key',
        status: 401,
      },
      {
        says: 'DELETE /cluster/{clusterName}: 204 once no store uses it',
        path: '/cluster/my-valkey-cluster',
        method: 'DELETE',
        status: 204,
      },
      {
        says: 'DELETE /cluster/{clusterName} of a missing cluster: 404',
        path: '/cluster/my-valkey-cluster',
        method: 'DELETE',
        status: 404,
      },
      { says: 'GET /cluster: an empty array now', path: '/cluster', status: 200, json: [] },
    ]);
  });
});

describe('object store rate limits', () => {
  it('429 with JSON {"message": "Request rate exceeded."}, a request id and CORS', async () => {
    const limited = await start({ rateLimit: { opsPerSecond: 1, burst: 1 } });
    const key = limited.createApiKey();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await call(limited, '/objectstore/s/k', { key }));
    await limited.close();
    const refused = answers.find((r) => r.status === 429);
    expect(refused?.body).toBe('{"message":"Request rate exceeded."}');
    expect(refused?.headers.get('content-type')).toBe('application/json');
    expect(refused?.headers.get(REQUEST_ID[0])).toMatch(REQUEST_ID[1]);
    // A browser app can read the refusal only with the CORS headers on it.
    expect(refused?.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('cache HTTP API', () => {
  const C = '/cache/default-cache';
  it('walks every endpoint and status', async () => {
    await walk([
      {
        says: 'PUT /cache/{cacheName}: 204',
        path: `${C}?key=example_key&ttl_seconds=60`,
        method: 'PUT',
        body: 'example value',
        status: 204,
        text: '',
      },
      {
        says: 'GET: 200 with the value',
        path: `${C}?key=example_key`,
        status: 200,
        text: 'example value',
      },
      {
        says: 'key_base64 names the same key (unpadded base64url)',
        path: `${C}?key_base64=ZXhhbXBsZV9rZXk`,
        status: 200,
        text: 'example value',
      },
      {
        says: 'the token query parameter works instead of the header',
        path: `${C}?key=example_key&token=${encodeURIComponent(superUser)}`,
        key: null,
        status: 200,
      },
      {
        says: 'both the header and token=: 400',
        path: `${C}?key=example_key&token=${encodeURIComponent(superUser)}`,
        status: 400,
      },
      {
        says: 'DELETE: 204',
        path: `${C}?key=example_key`,
        method: 'DELETE',
        status: 204,
      },
      {
        says: 'GET a missing key: 404 Key Not Found',
        path: `${C}?key=example_key`,
        status: 404,
        text: 'Key Not Found',
      },
      {
        says: 'DELETE of a missing key: still 204',
        path: `${C}?key=example_key`,
        method: 'DELETE',
        status: 204,
      },
      {
        says: 'a cache that does not exist: 404 Cache Not Found',
        path: '/cache/no-such-cache?key=k&ttl_seconds=60',
        method: 'PUT',
        body: 'v',
        status: 404,
        text: 'Cache Not Found',
      },
      {
        says: '400: a PUT without ttl_seconds',
        path: `${C}?key=k`,
        method: 'PUT',
        body: 'v',
        status: 400,
      },
      { says: '401: an invalid token', path: `${C}?key=k`, key: 'not-a-key', status: 401 },
      {
        says: '403: the token lacks access',
        path: `${C}?key=k&ttl_seconds=60`,
        method: 'PUT',
        key: readOnly,
        body: 'v',
        status: 403,
      },
    ]);
    await expect
      .poll(async () => (await call(server, `${C}?key=k`, { key: expired })).status, {
        timeout: 3000,
      })
      .toBe(401);
  });

  it('429 when a limit is hit', async () => {
    const limited = await start({ rateLimit: { opsPerSecond: 1, burst: 1 } });
    const key = limited.createApiKey();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(limited, `${C}?key=k`, { key })).status);
    await limited.close();
    expect(statuses).toContain(429);
  });
});

describe('Momento Topics (the HTTP API reference for Topics, see the topics reference notes)', () => {
  const T = '/topics/default-cache/my-topic';
  it('walks publish, subscribe, the discontinuity and every status', async () => {
    await walk([
      {
        says: 'Publish: POST /topics/{cacheName}/{topicName}, text/plain (UTF-8 text): 204 No Content',
        path: T,
        method: 'POST',
        body: 'hello world',
        headers: { 'content-type': 'text/plain' },
        status: 204,
      },
      {
        says: 'Publish: application/octet-stream (bytes): 204 No Content',
        path: T,
        method: 'POST',
        body: 'bytes',
        headers: { 'content-type': 'application/octet-stream' },
        status: 204,
      },
      {
        says: 'Subscribe: sequence_number 0 and sequence_page 0 on the first request: 200 with JSON items',
        path: `${T}?sequence_number=0&sequence_page=0`,
        status: 200,
        text: /^\{"items":\[\{"item":\{"topic_sequence_number":0,"sequence_page":\d+,"value":\{"text":"hello world"\}\}\},\{"item":\{"topic_sequence_number":1,"sequence_page":\d+,"value":\{"binary":"Ynl0ZXM="\}\}\}\]\}$/,
      },
      {
        says: 'A gap (after the page changed) comes as a discontinuity element before the items',
        path: `${T}?sequence_number=1&sequence_page=1`,
        status: 200,
        text: /^\{"items":\[\{"discontinuity":\{"last_topic_sequence":0,"new_topic_sequence":0,"new_sequence_page":\d+\}\},\{"item":\{"topic_sequence_number":0,/,
      },
      {
        says: 'the key in a token query parameter',
        path: `${T}?token=${encodeURIComponent(superUser)}`,
        method: 'POST',
        key: null,
        body: 'via token',
        headers: { 'content-type': 'text/plain' },
        status: 204,
      },
      {
        says: 'both the Authorization header and a token query parameter: 400 (only one value must be set)',
        path: `${T}?token=${encodeURIComponent(superUser)}`,
        status: 400,
      },
      {
        says: 'Publish errors: 401',
        path: T,
        method: 'POST',
        key: null,
        body: 'm',
        status: 401,
      },
      {
        says: 'Publish errors: 403 (a read-only key may subscribe but not publish)',
        path: T,
        method: 'POST',
        key: readOnly,
        body: 'm',
        headers: { 'content-type': 'text/plain' },
        status: 403,
      },
      {
        says: 'Publish errors: 404 Cache Not Found (a topic lives inside a cache)',
        path: '/topics/no-such-cache/my-topic',
        method: 'POST',
        body: 'm',
        headers: { 'content-type': 'text/plain' },
        status: 404,
        text: 'Cache Not Found',
      },
      {
        says: 'Subscribe errors: 401',
        path: `${T}?sequence_number=0`,
        key: 'not-a-key',
        status: 401,
      },
      {
        says: 'Subscribe errors: 404 Cache Not Found',
        path: '/topics/no-such-cache/my-topic?sequence_number=0&sequence_page=0',
        status: 404,
        text: 'Cache Not Found',
      },
    ]);
  });

  it('Publish and Subscribe errors: 429', async () => {
    const limited = await start({ rateLimit: { opsPerSecond: 1, burst: 1 } });
    const key = limited.createApiKey();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const init = { method: 'POST', key, body: 'm', headers: { 'content-type': 'text/plain' } };
      statuses.push((await call(limited, '/topics/default-cache/t', init)).status);
    }
    await limited.close();
    expect(statuses).toContain(429);
  });
});
