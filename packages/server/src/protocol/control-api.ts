import { isValidName } from '../options.js';
import { type Context, requireSuperUser } from './context.js';
import type { Cluster, ObjectStoreConfig } from './control-plane-state.js';
import {
  json,
  methodNotAllowed,
  NO_CONTENT,
  type ProtocolRequest,
  type ProtocolResponse,
  text,
} from './types.js';

/** Control-plane bodies are small JSON documents. */
const MAX_JSON_BYTES = 64 * 1024;

/** Reads a JSON object body. A wrapper, never a union with the response: a body may well have `status`. */
async function readJson(
  req: ProtocolRequest,
): Promise<{ json: Record<string, unknown> } | { error: ProtocolResponse }> {
  const body = await req.readBody(MAX_JSON_BYTES);
  if (body === undefined)
    return { error: { ...text(413, 'Request body too large'), bodyUnread: true } };
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { json: value as Record<string, unknown> };
    }
  } catch {}
  return { error: text(400, 'The body must be a JSON object') };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `GET /objectstore`, `PUT|GET|DELETE /objectstore/{name}`. Super-user only. */
export async function handleStoreControl(
  ctx: Context,
  req: ProtocolRequest,
  name: string | undefined,
): Promise<ProtocolResponse> {
  const method = req.method;
  if (name === undefined) {
    if (method !== 'GET') return methodNotAllowed('GET');
    const denied = requireSuperUser(ctx, req);
    if (denied) return denied;
    return json(200, { object_stores: [...ctx.control.stores.keys()].map((n) => ({ name: n })) });
  }
  if (method !== 'GET' && method !== 'PUT' && method !== 'DELETE')
    return methodNotAllowed('GET, PUT, DELETE');
  const denied = requireSuperUser(ctx, req);
  if (denied) return denied;
  const existing = ctx.control.stores.get(name);
  if (method === 'GET') return existing ? json(200, existing) : text(404, 'Store Not Found');
  if (method === 'DELETE') {
    if (!existing) return text(404, 'Store Not Found');
    ctx.control.stores.delete(name);
    await ctx.objects.deleteStore(name);
    await ctx.control.save();
    return NO_CONTENT;
  }
  if (!isValidName(name))
    return text(400, 'Invalid object store name: use 1-255 of A-Z a-z 0-9 _ - .');
  const read = await readJson(req);
  if ('error' in read) return read.error;
  const body = read.json;
  const s3 = isObject(body.storage_config) ? body.storage_config.s3 : undefined;
  if (!isObject(s3) || typeof s3.bucket_name !== 'string' || typeof s3.iam_role_arn !== 'string') {
    return text(
      400,
      'storage_config.s3.bucket_name and storage_config.s3.iam_role_arn are required',
    );
  }
  const vc = isObject(body.cache_config) ? body.cache_config.valkey_cluster : undefined;
  const cluster = isObject(vc) ? vc.cluster_name : undefined;
  if (typeof cluster !== 'string')
    return text(400, 'cache_config.valkey_cluster.cluster_name is required');
  if (!ctx.control.clusters.has(cluster)) {
    return text(
      400,
      `cache_config.valkey_cluster.cluster_name: cluster '${cluster}' does not exist`,
    );
  }
  if (existing) {
    // Documented as immutable once created: bucket, prefix, region and the cluster.
    const old = (existing.storage_config as { s3: Record<string, unknown> }).s3;
    if (
      old.bucket_name !== s3.bucket_name ||
      old.prefix !== s3.prefix ||
      old.region !== s3.region
    ) {
      return text(400, 'storage_config bucket_name, prefix and region cannot be changed');
    }
    if (existing.cache_config.valkey_cluster.cluster_name !== cluster) {
      return text(400, 'cache_config.valkey_cluster.cluster_name cannot be changed');
    }
  }
  const config = { ...body, name } as ObjectStoreConfig;
  ctx.control.stores.set(name, config);
  await ctx.control.save();
  return json(existing ? 200 : 201, config);
}

const ACTIONS = new Set([
  'replication-group',
  'shard-configuration',
  'increase-replica-count',
  'decrease-replica-count',
]);

/** `/ec-cluster`, `/ec-cluster/{name}`, `/ec-cluster/{name}/{action}`. Super-user only. */
export async function handleClusters(
  ctx: Context,
  req: ProtocolRequest,
  name: string | undefined,
  action: string | undefined,
): Promise<ProtocolResponse> {
  const method = req.method;
  if (name === undefined) {
    if (method !== 'GET' && method !== 'POST') return methodNotAllowed('GET, POST');
  } else if (action === undefined) {
    if (method !== 'GET' && method !== 'DELETE') return methodNotAllowed('GET, DELETE');
  } else {
    if (!ACTIONS.has(action)) return text(404, 'Not Found');
    if (method !== 'POST') return methodNotAllowed('POST');
  }
  const denied = requireSuperUser(ctx, req);
  if (denied) return denied;
  const clusters = ctx.control.clusters;

  if (name === undefined && method === 'GET') {
    return json(200, { clusters: [...clusters.keys()].map((n) => ({ name: n })) });
  }
  if (name === undefined) return createCluster(ctx, req);

  const cluster = clusters.get(name);
  if (!cluster) return text(404, 'Cluster Not Found');
  if (action === undefined) {
    if (method === 'GET') return json(200, cluster);
    for (const store of ctx.control.stores.values()) {
      if (store.cache_config.valkey_cluster.cluster_name === name) {
        return text(400, `Cluster '${name}' is used by object store '${store.name}'`);
      }
    }
    clusters.delete(name);
    await ctx.control.save();
    return NO_CONTENT;
  }

  const read = await readJson(req);
  if ('error' in read) return read.error;
  const body = read.json;
  const invalid = applyAction(cluster, action, body);
  if (invalid) return text(400, `Invalid cluster configuration: ${invalid}`);
  cluster.status = 'Updating';
  ctx.control.transition(name, 'Active');
  await ctx.control.save();
  return { status: 202 };
}

const posInt = (v: unknown, min = 1) => Number.isInteger(v) && (v as number) >= min;

async function createCluster(ctx: Context, req: ProtocolRequest): Promise<ProtocolResponse> {
  const read = await readJson(req);
  if ('error' in read) return read.error;
  const body = read.json;
  const { name, node_instance_type, shard_count, replication_factor, enforce_shard_multi_az } =
    body;
  const problems: string[] = [];
  if (typeof name !== 'string' || !isValidName(name)) problems.push('name must be a URL-safe name');
  if (typeof node_instance_type !== 'string' || !node_instance_type)
    problems.push('node_instance_type is required');
  if (!posInt(shard_count)) problems.push('shard_count must be an integer >= 1');
  if (!posInt(replication_factor, 0)) problems.push('replication_factor must be an integer >= 0');
  if (typeof enforce_shard_multi_az !== 'boolean')
    problems.push('enforce_shard_multi_az must be a boolean');
  if (body.shard_placements !== undefined && !Array.isArray(body.shard_placements)) {
    problems.push('shard_placements must be an array');
  }
  if (problems.length) return text(400, `Invalid cluster configuration: ${problems.join('; ')}`);
  if (ctx.control.clusters.has(name as string))
    return text(409, `Cluster '${name}' already exists`);
  const cluster: Cluster = {
    name: name as string,
    node_instance_type: node_instance_type as string,
    shard_count: shard_count as number,
    replication_factor: replication_factor as number,
    enforce_shard_multi_az: enforce_shard_multi_az as boolean,
    shard_placements: (body.shard_placements as unknown[] | undefined) ?? [],
    status: 'Creating',
  };
  ctx.control.addCluster(cluster);
  return json(201, cluster);
}

function applyAction(
  cluster: Cluster,
  action: string,
  body: Record<string, unknown>,
): string | undefined {
  switch (action) {
    case 'replication-group': {
      const { node_instance_type: t, enforce_shard_multi_az: az } = body;
      if (t !== undefined && (typeof t !== 'string' || !t))
        return 'node_instance_type must be a string';
      if (az !== undefined && typeof az !== 'boolean')
        return 'enforce_shard_multi_az must be a boolean';
      if (t !== undefined) cluster.node_instance_type = t as string;
      if (az !== undefined) cluster.enforce_shard_multi_az = az as boolean;
      return undefined;
    }
    case 'shard-configuration': {
      if (!posInt(body.shard_count)) return 'shard_count must be an integer >= 1';
      const next = body.shard_count as number;
      const remove = body.shards_to_remove;
      if (remove !== undefined && !Array.isArray(remove))
        return 'shards_to_remove must be an array';
      if (
        next < cluster.shard_count &&
        (remove as unknown[] | undefined)?.length !== cluster.shard_count - next
      ) {
        return 'shards_to_remove must list the removed shard indexes when decreasing shard_count';
      }
      cluster.shard_count = next;
      return undefined;
    }
    default: {
      if (!posInt(body.replication_factor, 0)) return 'replication_factor must be an integer >= 0';
      const next = body.replication_factor as number;
      const up = action === 'increase-replica-count';
      if (up ? next <= cluster.replication_factor : next >= cluster.replication_factor) {
        return `replication_factor must be ${up ? 'higher' : 'lower'} than ${cluster.replication_factor}`;
      }
      cluster.replication_factor = next;
      return undefined;
    }
  }
}
