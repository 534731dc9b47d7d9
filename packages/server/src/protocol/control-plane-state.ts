import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A Valkey cluster record (`/ec-cluster`). */
export interface Cluster {
  name: string;
  node_instance_type: string;
  shard_count: number;
  replication_factor: number;
  enforce_shard_multi_az: boolean;
  shard_placements: unknown[];
  status: 'Creating' | 'Active' | 'Updating' | 'Deleting' | 'CreationFailed';
}

/** An object store configuration (`/objectstore/{name}`), stored as sent plus its name. */
export interface ObjectStoreConfig {
  name: string;
  storage_config: unknown;
  cache_config: { valkey_cluster: { cluster_name: string } };
  [field: string]: unknown;
}

interface Snapshot {
  clusters: Cluster[];
  stores: ObjectStoreConfig[];
}

/**
 * Clusters and object stores. Kept in memory, written to `<dataDir>/control-plane.json` after each
 * change when a data directory is set (write to a temp file, then rename, so a crash never leaves
 * half a file).
 */
export class ControlPlane {
  readonly clusters = new Map<string, Cluster>();
  readonly stores = new Map<string, ObjectStoreConfig>();
  readonly #file: string | undefined;
  readonly #activationMs: number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string | undefined, activationMs: number) {
    this.#file = dataDir === undefined ? undefined : join(dataDir, 'control-plane.json');
    this.#activationMs = activationMs;
  }

  async load(): Promise<void> {
    if (this.#file === undefined) return;
    let raw: string;
    try {
      raw = await readFile(this.#file, 'utf8');
    } catch {
      return;
    }
    const snapshot = JSON.parse(raw) as Snapshot;
    for (const c of snapshot.clusters) this.clusters.set(c.name, { ...c, status: 'Active' });
    for (const s of snapshot.stores) this.stores.set(s.name, s);
  }

  /** Records a new cluster as `Creating`; it turns `Active` after the activation delay. */
  addCluster(cluster: Cluster): void {
    this.clusters.set(cluster.name, cluster);
    this.transition(cluster.name, 'Active');
    this.save();
  }

  /** Moves a cluster to `status` after the activation delay (Creating/Updating → Active). */
  transition(name: string, status: Cluster['status']): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const cluster = this.clusters.get(name);
      if (cluster) {
        cluster.status = status;
        this.save();
      }
    }, this.#activationMs);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Persists the state (serialised: writes never overlap). */
  save(): Promise<void> {
    const file = this.#file;
    if (file === undefined) return Promise.resolve();
    const snapshot: Snapshot = {
      clusters: [...this.clusters.values()],
      stores: [...this.stores.values()],
    };
    this.#writing = this.#writing.then(async () => {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(snapshot));
      await rename(`${file}.tmp`, file);
    });
    return this.#writing;
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#writing;
  }
}
