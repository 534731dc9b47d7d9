/** Valkey cluster control-plane shapes, with the wire's (snake_case) field names. */

export interface ShardPlacement {
  shard_index: number;
  availability_zone: string;
  replica_availability_zones: string[];
}

export type ClusterStatus = 'Creating' | 'CreationFailed' | 'Active' | 'Updating' | 'Deleting';

/** A cluster's whole configuration: the body of `PUT /cluster/{name}`. */
export interface ClusterConfig {
  node_instance_type: string;
  shard_count: number;
  replication_factor: number;
  enforce_shard_multi_az: boolean;
  /** Omit to let Momento place shards. */
  shard_placements?: ShardPlacement[];
}

/** A configuration with its name: what `clusters.create` takes (the body of `POST /ec-cluster`). */
export interface CreateClusterRequest extends ClusterConfig {
  /** URL-safe cluster name. */
  name: string;
}

/** What create and describe return. */
export interface Cluster {
  name: string;
  node_instance_type: string;
  shard_count: number;
  replication_factor: number;
  enforce_shard_multi_az: boolean;
  shard_placements: ShardPlacement[];
  status: ClusterStatus | (string & {});
}

/** A listed cluster: its name (the seed API lists whole `Cluster`s). */
export interface ClusterSummary {
  name: string;
}

/** `POST /ec-cluster/{name}/replication-group`. */
export interface UpdateReplicationGroupRequest {
  node_instance_type?: string;
  enforce_shard_multi_az?: boolean;
}

/** `POST /ec-cluster/{name}/shard-configuration`. */
export interface UpdateShardConfigurationRequest {
  shard_count: number;
  /** Required when decreasing the shard count. */
  shards_to_remove?: number[];
  shard_placements?: ShardPlacement[];
}

/** `POST /ec-cluster/{name}/increase-replica-count` and `…/decrease-replica-count`. */
export interface ReplicaCountRequest {
  replication_factor: number;
  shard_placements?: ShardPlacement[];
}
