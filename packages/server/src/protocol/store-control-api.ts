import { isValidName } from '../options.js';
import { requireSuperUser } from './access.js';
import type { ObjectStoreConfig } from './control-plane-state.js';
import { isObject, readJson } from './read-json.js';
import type { Context } from './server-context.js';
import {
  json,
  methodNotAllowed,
  type ProtocolRequest,
  type ProtocolResponse,
  text,
} from './types.js';

/** `200` with no body: what the object store document gives for a delete. */
const DELETED: ProtocolResponse = Object.freeze({ status: 200 });

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
    // The object store document answers a delete with 200 (not 204).
    return DELETED;
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
