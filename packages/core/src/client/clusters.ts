/**
 * The Valkey cluster control plane: `/ec-cluster`, `/ec-cluster/{name}` and its update actions.
 * Creates and updates are POSTs and are not retried (a retry could act twice).
 */
import type { CallOptions } from '../contract';
import type {
  Cluster,
  ClusterSummary,
  CreateClusterRequest,
  ReplicaCountRequest,
  UpdateReplicationGroupRequest,
  UpdateShardConfigurationRequest,
} from './cluster-types';
import { jsonBody, jsonHeaders, readJson } from './json';
import { namePath } from './keys';
import { type RequestContext, send } from './request';

export class Clusters {
  readonly #ctx: RequestContext;
  readonly #base: string;

  constructor(ctx: RequestContext, baseUrl: string) {
    this.#ctx = ctx;
    this.#base = `${baseUrl}/ec-cluster`;
  }

  /** Creates a cluster (201); it starts in status `Creating`. */
  async create(request: CreateClusterRequest, options?: CallOptions): Promise<Cluster> {
    namePath(request.name, 'Cluster name');
    const response = (await this.#post(this.#base, request, options))!;
    return readJson<Cluster>(response, 'POST', this.#base);
  }

  /** The cluster's configuration and status. Throws `NotFoundError` if it does not exist. */
  async describe(name: string, options?: CallOptions): Promise<Cluster> {
    const url = this.#url(name);
    const response = (await send(this.#ctx, { method: 'GET', url }, options))!;
    return readJson<Cluster>(response, 'GET', url);
  }

  /** Every cluster's name (describe each for details). */
  async list(options?: CallOptions): Promise<ClusterSummary[]> {
    const response = (await send(this.#ctx, { method: 'GET', url: this.#base }, options))!;
    return readJson<{ clusters: ClusterSummary[] }>(response, 'GET', this.#base).clusters;
  }

  /** Deletes a cluster. */
  async delete(name: string, options?: CallOptions): Promise<void> {
    await send(this.#ctx, { method: 'DELETE', url: this.#url(name) }, options);
  }

  /** Changes the instance type and/or multi-AZ enforcement (202, applied asynchronously). */
  async updateReplicationGroup(
    name: string,
    request: UpdateReplicationGroupRequest,
    options?: CallOptions,
  ): Promise<void> {
    await this.#post(`${this.#url(name)}/replication-group`, request, options);
  }

  /** Changes the shard count (202, applied asynchronously). */
  async updateShardConfiguration(
    name: string,
    request: UpdateShardConfigurationRequest,
    options?: CallOptions,
  ): Promise<void> {
    await this.#post(`${this.#url(name)}/shard-configuration`, request, options);
  }

  /** Raises the replicas per shard (202, applied asynchronously). */
  async increaseReplicaCount(
    name: string,
    request: ReplicaCountRequest,
    options?: CallOptions,
  ): Promise<void> {
    await this.#post(`${this.#url(name)}/increase-replica-count`, request, options);
  }

  /** Lowers the replicas per shard (202, applied asynchronously). */
  async decreaseReplicaCount(
    name: string,
    request: ReplicaCountRequest,
    options?: CallOptions,
  ): Promise<void> {
    await this.#post(`${this.#url(name)}/decrease-replica-count`, request, options);
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
