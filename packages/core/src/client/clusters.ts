/**
 * The Valkey cluster control plane, over either of its two HTTP shapes:
 * - `'cluster'` (default), the seed document's API: `PUT /cluster/{name}` creates or updates
 *   (200, idempotent, so retried like any idempotent call), `DELETE /cluster/{name}` (204),
 *   `GET /cluster` (a JSON array of clusters). Describe reads that list; an update re-sends the
 *   whole configuration with the changed fields.
 * - `'ec-cluster'`, the shape Momento's Terraform provider uses: `POST /ec-cluster` (201) and one
 *   POST per update action (202). POSTs are not retried (a retry could act twice).
 */
import type { CallOptions } from '../contract';
import type {
  Cluster,
  ClusterConfig,
  ClusterSummary,
  CreateClusterRequest,
  ReplicaCountRequest,
  UpdateReplicationGroupRequest,
  UpdateShardConfigurationRequest,
} from './cluster-types';
import { NotFoundError } from './errors';
import { jsonBody, jsonHeaders, readJson } from './json';
import { namePath } from './keys';
import { type RequestContext, send } from './request';
import { redactUrl } from './response-errors';

/** Which HTTP shape `client.clusters` speaks. */
export type ClusterApi = 'cluster' | 'ec-cluster';

export class Clusters {
  readonly #ctx: RequestContext;
  readonly #api: ClusterApi;
  readonly #base: string;

  constructor(ctx: RequestContext, baseUrl: string, api: ClusterApi = 'cluster') {
    this.#ctx = ctx;
    this.#api = api;
    this.#base = `${baseUrl}/${api}`;
  }

  /**
   * Creates a cluster; it starts in status `Creating`. With the seed API this is a create-or-update
   * (`put`); with `ec-cluster` an existing name is a 409.
   */
  async create(request: CreateClusterRequest, options?: CallOptions): Promise<Cluster> {
    if (this.#api === 'cluster') {
      const { name, ...config } = request;
      return this.put(name, config, options);
    }
    namePath(request.name, 'Cluster name');
    const response = (await this.#post(this.#base, request, options))!;
    return readJson<Cluster>(response, 'POST', this.#base);
  }

  /**
   * Creates or updates a cluster with this whole configuration (`PUT /cluster/{name}`); the
   * answer carries the cluster and its `status`. On the `ec-cluster` API: create only.
   */
  async put(name: string, config: ClusterConfig, options?: CallOptions): Promise<Cluster> {
    if (this.#api === 'ec-cluster') return this.create({ name, ...config }, options);
    const url = this.#url(name);
    const headers = jsonHeaders(this.#ctx.headers);
    const response = (await send(
      this.#ctx,
      { method: 'PUT', url, headers, body: jsonBody(config) },
      options,
    ))!;
    return readJson<Cluster>(response, 'PUT', url);
  }

  /** The cluster's configuration and status. Throws `NotFoundError` if it does not exist. */
  async describe(name: string, options?: CallOptions): Promise<Cluster> {
    const url = this.#url(name);
    if (this.#api === 'cluster') {
      // The seed API describes clusters through its list.
      const found = (await this.#listClusters(options)).find((c) => c.name === name);
      if (found) return found;
      throw new NotFoundError(`Cluster Not Found: ${name} [404]`, {
        method: 'GET',
        url: redactUrl(this.#base),
      });
    }
    const response = (await send(this.#ctx, { method: 'GET', url }, options))!;
    return readJson<Cluster>(response, 'GET', url);
  }

  /** Every cluster: their names (the seed API also gives each one's configuration and status). */
  async list(options?: CallOptions): Promise<ClusterSummary[]> {
    if (this.#api === 'cluster') return this.#listClusters(options);
    const response = (await send(this.#ctx, { method: 'GET', url: this.#base }, options))!;
    return readJson<{ clusters: ClusterSummary[] }>(response, 'GET', this.#base).clusters;
  }

  /** Deletes a cluster. */
  async delete(name: string, options?: CallOptions): Promise<void> {
    await send(this.#ctx, { method: 'DELETE', url: this.#url(name) }, options);
  }

  /** Changes the instance type and/or multi-AZ enforcement (applied asynchronously). */
  async updateReplicationGroup(
    name: string,
    request: UpdateReplicationGroupRequest,
    options?: CallOptions,
  ): Promise<void> {
    await this.#update(name, 'replication-group', request, options);
  }

  /** Changes the shard count (applied asynchronously). */
  async updateShardConfiguration(
    name: string,
    request: UpdateShardConfigurationRequest,
    options?: CallOptions,
  ): Promise<void> {
    await this.#update(name, 'shard-configuration', request, options);
  }

  /** Raises the replicas per shard (applied asynchronously). */
  async increaseReplicaCount(
    name: string,
    request: ReplicaCountRequest,
    options?: CallOptions,
  ): Promise<void> {
    await this.#update(name, 'increase-replica-count', request, options);
  }

  /** Lowers the replicas per shard (applied asynchronously). */
  async decreaseReplicaCount(
    name: string,
    request: ReplicaCountRequest,
    options?: CallOptions,
  ): Promise<void> {
    await this.#update(name, 'decrease-replica-count', request, options);
  }

  /** `ec-cluster`: the action endpoint. Seed API: the current configuration with these fields. */
  async #update(
    name: string,
    action: string,
    change: Partial<ClusterConfig> & { shards_to_remove?: number[] },
    options: CallOptions | undefined,
  ): Promise<void> {
    if (this.#api === 'ec-cluster') {
      await this.#post(`${this.#url(name)}/${action}`, change, options);
      return;
    }
    const { shards_to_remove: _removed, ...fields } = change;
    const current = await this.describe(name, options);
    await this.put(
      name,
      {
        node_instance_type: current.node_instance_type,
        shard_count: current.shard_count,
        replication_factor: current.replication_factor,
        enforce_shard_multi_az: current.enforce_shard_multi_az,
        shard_placements: current.shard_placements,
        ...fields,
      },
      options,
    );
  }

  async #listClusters(options: CallOptions | undefined): Promise<Cluster[]> {
    const response = (await send(this.#ctx, { method: 'GET', url: this.#base }, options))!;
    return readJson<Cluster[]>(response, 'GET', this.#base);
  }

  #url(name: string): string {
    return `${this.#base}/${namePath(name, 'Cluster name')}`;
  }

  #post(url: string, body: unknown, options: CallOptions | undefined) {
    const headers = jsonHeaders(this.#ctx.headers);
    return send(
      this.#ctx,
      { method: 'POST', url, headers, body: jsonBody(body), idempotent: false },
      options,
    );
  }
}
