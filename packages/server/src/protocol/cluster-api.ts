/**
 * The Valkey cluster control plane, in two shapes over one state:
 * - the seed document's API: `PUT /cluster/{name}` (create or update, 200 with the cluster),
 *   `DELETE /cluster/{name}` (204), `GET /cluster` (200, a JSON array of clusters), plus
 *   `GET /cluster/{name}`;
 * - `/ec-cluster`, the shape Momento's Terraform provider uses (POST to create, action endpoints to
 *   update), kept as a compatible alias.
 * Both need a super-user key.
 */
import { isValidName } from '../options.js';
import { requireSuperUser } from './access.js';
import type { Cluster } from './control-plane-state.js';
import { readJson } from './read-json.js';
import type { Context } from './server-context.js';
import {
  json,
  methodNotAllowed,
  NO_CONTENT,
  type ProtocolRequest,
  type ProtocolResponse,
  text,
} from './types.js';

const CLUSTER_NOT_FOUND = text(404, 'Cluster Not Found');
const invalid = (problems: string[]) =>
  text(400, `Invalid cluster configuration: ${problems.join('; ')}`);

/** `GET /cluster`, `PUT|GET|DELETE /cluster/{name}`. */
export async function handleSeedClusters(
  ctx: Context,
  req: ProtocolRequest,
  name: string | undefined,
): Promise<ProtocolResponse> {
  const method = req.method;
  if (name === undefined) {
    if (method !== 'GET') return methodNotAllowed('GET');
  } else if (method !== 'GET' && method !== 'PUT' && method !== 'DELETE') {
    return methodNotAllowed('GET, PUT, DELETE');
  }
  const denied = requireSuperUser(ctx, req);
  if (denied) return denied;
  if (name === undefined) return json(200, [...ctx.control.clusters.values()]);
  if (method === 'PUT') return putCluster(ctx, req, name);
  const cluster = ctx.control.clusters.get(name);
  if (!cluster) return CLUSTER_NOT_FOUND;
  return method === 'GET' ? json(200, cluster) : deleteCluster(ctx, cluster);
}

/** Create or update: the whole configuration, 200 with the cluster and its status either way. */
async function putCluster(
  ctx: Context,
  req: ProtocolRequest,
  name: string,
): Promise<ProtocolResponse> {
  const read = await readJson(req);
  if ('error' in read) return read.error;
  const body = read.json;
  const problems = clusterProblems(body);
  if (!isValidName(name)) problems.unshift('the cluster name must be a URL-safe name');
  if (body.name !== undefined && body.name !== name)
    problems.push('name in the body must match the path');
  if (problems.length) return invalid(problems);
  const existing = ctx.control.clusters.get(name);
  const cluster: Cluster = {
    name,
    node_instance_type: body.node_instance_type as string,
    shard_count: body.shard_count as number,
    replication_factor: body.replication_factor as number,
    enforce_shard_multi_az: body.enforce_shard_multi_az as boolean,
    shard_placements: (body.shard_placements as unknown[] | undefined) ?? [],
    status: existing ? 'Updating' : 'Creating',
  };
  if (existing) {
    Object.assign(existing, cluster);
    ctx.control.transition(name, 'Active');
    await ctx.control.save();
    return json(200, existing);
  }
  ctx.control.addCluster(cluster);
  return json(200, cluster);
}

async function deleteCluster(ctx: Context, cluster: Cluster): Promise<ProtocolResponse> {
  for (const store of ctx.control.stores.values()) {
    if (store.cache_config.valkey_cluster.cluster_name === cluster.name) {
      return text(400, `Cluster '${cluster.name}' is used by object store '${store.name}'`);
    }
  }
  ctx.control.clusters.delete(cluster.name);
  await ctx.control.save();
  return NO_CONTENT;
}

const posInt = (v: unknown, min = 1) => Number.isInteger(v) && (v as number) >= min;

/** What is wrong with a cluster configuration (every problem, so one answer lists them all). */
function clusterProblems(body: Record<string, unknown>): string[] {
  const { node_instance_type, shard_count, replication_factor, enforce_shard_multi_az } = body;
  const problems: string[] = [];
  if (typeof node_instance_type !== 'string' || !node_instance_type)
    problems.push('node_instance_type is required');
  if (!posInt(shard_count)) problems.push('shard_count must be an integer >= 1');
  if (!posInt(replication_factor, 0)) problems.push('replication_factor must be an integer >= 0');
  if (typeof enforce_shard_multi_az !== 'boolean')
    problems.push('enforce_shard_multi_az must be a boolean');
  if (body.shard_placements !== undefined && !Array.isArray(body.shard_placements)) {
    problems.push('shard_placements must be an array');
  }
  return problems;
}

const ACTIONS = new Set([
  'replication-group',
  'shard-configuration',
  'increase-replica-count',
  'decrease-replica-count',
]);

/** `/ec-cluster`, `/ec-cluster/{name}`, `/ec-cluster/{name}/{action}` (the Terraform shape). */
export async function handleEcClusters(
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
  if (!cluster) return CLUSTER_NOT_FOUND;
  if (action === undefined)
    return method === 'GET' ? json(200, cluster) : deleteCluster(ctx, cluster);

  const read = await readJson(req);
  if ('error' in read) return read.error;
  const problem = applyAction(cluster, action, read.json);
  if (problem) return invalid([problem]);
  cluster.status = 'Updating';
  ctx.control.transition(name, 'Active');
  await ctx.control.save();
  return { status: 202 };
}

/** `POST /ec-cluster`: 201, or 409 when the name is taken (the seed's PUT updates instead). */
async function createCluster(ctx: Context, req: ProtocolRequest): Promise<ProtocolResponse> {
  const read = await readJson(req);
  if ('error' in read) return read.error;
  const body = read.json;
  const name = body.name;
  const problems = clusterProblems(body);
  if (typeof name !== 'string' || !isValidName(name))
    problems.unshift('name must be a URL-safe name');
  if (problems.length) return invalid(problems);
  if (ctx.control.clusters.has(name as string))
    return text(409, `Cluster '${name}' already exists`);
  const cluster: Cluster = {
    name: name as string,
    node_instance_type: body.node_instance_type as string,
    shard_count: body.shard_count as number,
    replication_factor: body.replication_factor as number,
    enforce_shard_multi_az: body.enforce_shard_multi_az as boolean,
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
