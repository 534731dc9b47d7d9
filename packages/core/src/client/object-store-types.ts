/**
 * Object store request and response shapes. Field names are the wire's (snake_case), exactly as
 * Momento documents them, so nothing is lost or renamed on the way.
 */

export interface S3StorageConfig {
  bucket_name: string;
  /** Immutable after creation. */
  prefix?: string;
  iam_role_arn: string;
  region?: string;
}

export interface CloudWatchLoggingConfig {
  log_group_name: string;
  iam_role_arn: string;
  region: string;
}

export interface CloudWatchMetricsConfig {
  iam_role_arn: string;
  region: string;
}

export interface ObjectStoreLimits {
  /** @default 100 */
  read_operations_per_second?: number;
  /** @default 100 */
  write_operations_per_second?: number;
  /** @default 1048576 */
  read_bytes_per_second?: number;
  /** @default 1048576 */
  write_bytes_per_second?: number;
}

/** The body of `PUT /objectstore/{name}`. Bucket, prefix, region and cluster are immutable. */
export interface ObjectStoreConfig {
  storage_config: { s3: S3StorageConfig };
  cache_config: { valkey_cluster: { cluster_name: string } };
  access_logging_config?: { cloudwatch: CloudWatchLoggingConfig };
  metrics_config?: { cloudwatch: CloudWatchMetricsConfig };
  object_store_limits?: ObjectStoreLimits;
}

/** What describe / create-or-update return. */
export interface ObjectStoreDescription extends ObjectStoreConfig {
  name: string;
}

export interface ObjectStoreSummary {
  name: string;
}

/** The result of `createOrUpdate`: 201 means created, 200 means an existing store was updated. */
export interface CreateOrUpdateResult {
  created: boolean;
  store: ObjectStoreDescription;
}
