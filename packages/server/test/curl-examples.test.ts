import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { start } from './helpers.js';

/**
 * The curl examples of the Momento HTTP API documents (cache, object store, Valkey clusters), run
 * with the real curl against the local server: the documented host is replaced by the local URL
 * and `<token>` by a local super-user key. Each must answer as documented.
 */
const run = promisify(execFile);
let curlMissing = false;
try {
  await run('curl', ['--version']);
} catch {
  curlMissing = true;
  console.warn('[server/curl-examples] skipped: curl is not installed');
}

let server: RunningServer;
let token: string;
let dir: string;
beforeAll(async () => {
  server = await start({ clusterActivationMs: 20 });
  token = server.createApiKey();
  dir = await mkdtemp(join(tmpdir(), 'momento-curl-'));
  await writeFile(
    join(dir, 'logo.png'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3]),
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs one documented command; returns status and body. */
async function curl(documented: string): Promise<{ status: number; body: string }> {
  const command = documented
    .replace(/https:\/\/api\.cache\.cell-[a-z0-9-]+\.prod\.a\.momentohq\.com/g, server.url)
    .replace(/<token>/g, token)
    .replace(/\\\n\s*/g, ' ');
  const { stdout } = await run('sh', ['-c', `${command} -s -w '\\n%{http_code}'`], { cwd: dir });
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

describe.skipIf(curlMissing)('documented curl examples', () => {
  it('cache: put, get, delete (token in the query and in the header)', async () => {
    // Put
    expect(
      await curl(
        `curl -X PUT -d 'example value' "https://api.cache.cell-1-ap-south-1-1.prod.a.momentohq.com/cache/default-cache?key=example_key&ttl_seconds=300&token=<token>"`,
      ),
    ).toEqual({ status: 204, body: '' });
    expect(
      await curl(
        `curl -X PUT -H "Authorization: <token>" -d 'example value' "https://api.cache.cell-1-ap-south-1-1.prod.a.momentohq.com/cache/default-cache?key_base64=ZXhhbXBsZV9rZXk&ttl_seconds=300"`,
      ),
    ).toEqual({ status: 204, body: '' });
    // Get
    expect(
      await curl(
        `curl "https://api.cache.cell-1-eu-west-1-1.prod.a.momentohq.com/cache/default-cache?key=example_key&token=<token>"`,
      ),
    ).toEqual({ status: 200, body: 'example value' });
    expect(
      await curl(
        `curl -H "Authorization: <token>" "https://api.cache.cell-1-eu-west-1-1.prod.a.momentohq.com/cache/default-cache?key_base64=ZXhhbXBsZV9rZXk"`,
      ),
    ).toEqual({ status: 200, body: 'example value' });
    // Delete
    expect(
      await curl(
        `curl -X DELETE "https://api.cache.cell-4-us-west-2-1.prod.a.momentohq.com/cache/default-cache?key=example_key&token=<token>"`,
      ),
    ).toEqual({ status: 204, body: '' });
    expect(
      await curl(
        `curl -X DELETE -H "Authorization: <token>" "https://api.cache.cell-4-us-west-2-1.prod.a.momentohq.com/cache/default-cache?key_base64=ZXhhbXBsZV9rZXk"`,
      ),
    ).toEqual({ status: 204, body: '' });
    expect(
      await curl(
        `curl "https://api.cache.cell-1-eu-west-1-1.prod.a.momentohq.com/cache/default-cache?key=example_key&token=<token>"`,
      ),
    ).toEqual({ status: 404, body: 'Key Not Found' });
    expect(
      await curl(
        `curl "https://api.cache.cell-1-eu-west-1-1.prod.a.momentohq.com/cache/no-such-cache?key=example_key&token=<token>"`,
      ),
    ).toEqual({ status: 404, body: 'Cache Not Found' });
  });

  it('Valkey clusters: create, describe, list, the four updates, delete', async () => {
    const host = 'https://api.cache.cell-1-us-east-1-1.prod.a.momentohq.com';
    const created = await curl(`curl -X POST -H "Authorization: <token>" \\
  -H "Content-Type: application/json" \\
  -d '{
    "name": "my-cluster",
    "node_instance_type": "cache.m6g.large",
    "shard_count": 3,
    "replication_factor": 2,
    "enforce_shard_multi_az": true
  }' \\
  "${host}/ec-cluster"`);
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({ name: 'my-cluster', status: 'Creating' });
    const described = await curl(
      `curl -H "Authorization: <token>" "${host}/ec-cluster/my-cluster"`,
    );
    expect(described.status).toBe(200);
    expect(
      JSON.parse((await curl(`curl -H "Authorization: <token>" "${host}/ec-cluster"`)).body),
    ).toEqual({ clusters: [{ name: 'my-cluster' }] });
    const update = (path: string, body: string) =>
      curl(
        `curl -X POST -H "Authorization: <token>" -H "Content-Type: application/json" -d '${body}' "${host}/ec-cluster/my-cluster/${path}"`,
      );
    expect(
      (await update('replication-group', '{ "node_instance_type": "cache.m6g.xlarge" }')).status,
    ).toBe(202);
    expect((await update('shard-configuration', '{ "shard_count": 5 }')).status).toBe(202);
    expect(
      (await update('shard-configuration', '{ "shard_count": 3, "shards_to_remove": [3, 4] }'))
        .status,
    ).toBe(202);
    expect((await update('increase-replica-count', '{ "replication_factor": 3 }')).status).toBe(
      202,
    );
    expect((await update('decrease-replica-count', '{ "replication_factor": 1 }')).status).toBe(
      202,
    );
    expect(
      (await curl(`curl -X DELETE -H "Authorization: <token>" "${host}/ec-cluster/my-cluster"`))
        .status,
    ).toBe(204);
    const withPlacements =
      await curl(`curl -X POST -H "Authorization: <token>" -H "Content-Type: application/json" -d '{
    "name": "my-cluster", "node_instance_type": "cache.m6g.large", "shard_count": 3, "replication_factor": 2,
    "enforce_shard_multi_az": true,
    "shard_placements": [
      { "shard_index": 0, "availability_zone": "us-east-1a", "replica_availability_zones": ["us-east-1b", "us-east-1c"] },
      { "shard_index": 1, "availability_zone": "us-east-1a", "replica_availability_zones": ["us-east-1b", "us-east-1c"] },
      { "shard_index": 2, "availability_zone": "us-east-1a", "replica_availability_zones": ["us-east-1b", "us-east-1c"] }
    ]
  }' "${host}/ec-cluster"`);
    expect(withPlacements.status).toBe(201);
    expect(JSON.parse(withPlacements.body).shard_placements).toHaveLength(3);
  });

  it('object store: control plane and data plane examples', async () => {
    const host = 'https://api.cache.cell-1-us-east-1-1.prod.a.momentohq.com';
    // The store examples name this cluster; it must exist first.
    await curl(
      `curl -X POST -H "Authorization: <token>" -d '{"name":"my-valkey-cluster","node_instance_type":"cache.m6g.large","shard_count":1,"replication_factor":1,"enforce_shard_multi_az":false}' "${host}/ec-cluster"`,
    );
    const base = `"storage_config": { "s3": { "bucket_name": "my-s3-bucket", "iam_role_arn": "arn:aws:iam::123456789012:role/MomentoObjectStoreRole" } },
    "cache_config": { "valkey_cluster": { "cluster_name": "my-valkey-cluster" } }`;
    const put = (extra: string) =>
      curl(
        `curl -X PUT -H "Authorization: <token>" -H "Content-Type: application/json" -d '{ ${base}${extra} }' "${host}/objectstore/my-store"`,
      );
    expect((await put('')).status).toBe(201);
    const logging = `, "access_logging_config": { "cloudwatch": { "log_group_name": "/momento/objectstore/my-store", "iam_role_arn": "arn:aws:iam::123456789012:role/MomentoCloudWatchRole", "region": "us-east-1" } }`;
    expect((await put(logging)).status).toBe(200);
    const metrics = `, "metrics_config": { "cloudwatch": { "iam_role_arn": "arn:aws:iam::123456789012:role/MomentoMetricsRole", "region": "us-east-1" } }`;
    expect((await put(metrics)).status).toBe(200);
    expect(
      JSON.parse((await curl(`curl -H "Authorization: <token>" "${host}/objectstore"`)).body),
    ).toEqual({ object_stores: [{ name: 'my-store' }] });
    expect(
      JSON.parse(
        (await curl(`curl -H "Authorization: <token>" "${host}/objectstore/my-store"`)).body,
      ),
    ).toMatchObject({ name: 'my-store', metrics_config: {} });

    const obj = `"${host}/objectstore/my-store/images/logo.png`;
    const bin = `-H "Content-Type: application/octet-stream" --data-binary @logo.png`;
    expect((await curl(`curl -X PUT -H "Authorization: <token>" ${bin} ${obj}"`)).status).toBe(204);
    expect(
      (await curl(`curl -X PUT -H "Authorization: <token>" ${bin} ${obj}?ttl_seconds=3600"`))
        .status,
    ).toBe(204);
    expect(
      (
        await curl(
          `curl -X PUT -H "Authorization: <token>" ${bin} -H "mo-tag-env: prod" -H "mo-tag-team: infra" ${obj}"`,
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await curl(
          `curl -X PUT -H "Authorization: <token>" ${bin} -H "mo-persistence: ephemeral" ${obj}?ttl_seconds=60"`,
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await curl(
          `curl -X PUT -H "Authorization: <token>" ${bin} -H "mo-meta-content-type: image/png" -H "mo-meta-cache-control: max-age=86400" ${obj}"`,
        )
      ).status,
    ).toBe(204);
    const original = await readFile(join(dir, 'logo.png'));
    await rm(join(dir, 'logo.png'));
    expect((await curl(`curl -H "Authorization: <token>" ${obj}" --output logo.png`)).status).toBe(
      200,
    );
    expect((await readFile(join(dir, 'logo.png'))).equals(original)).toBe(true);
    const headers = await curl(`curl -D - -o /dev/null -H "Authorization: <token>" ${obj}"`);
    expect(headers.body).toMatch(/^content-type: image\/png\r$/m);
    expect(headers.body).toMatch(/^cache-control: max-age=86400\r$/m);
    expect(headers.body).toMatch(/^mo-request-id: [0-9a-f-]{36}\r$/m);
    expect((await curl(`curl -X DELETE -H "Authorization: <token>" ${obj}"`)).status).toBe(204);
    expect(await curl(`curl -H "Authorization: <token>" ${obj}"`)).toEqual({
      status: 404,
      body: 'Object not found.',
    });
    expect(
      (await curl(`curl -X DELETE -H "Authorization: <token>" "${host}/objectstore/my-store"`))
        .status,
    ).toBe(200);
    expect(await curl(`curl -H "Authorization: <token>" ${obj}"`)).toEqual({
      status: 404,
      body: 'Store Not Found',
    });
  });
});
