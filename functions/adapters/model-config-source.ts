import type { ModelConfig } from '../shared/config/model-schema.ts';
import { ModelRemovedError, type ModelStore } from './model-store.ts';

/**
 * How handlers read the config of the model an event names (fleet design, section 1), cached per container:
 * a version never changes once written, so `(name, version)` is cached for good (a bounded LRU); the current
 * version of a name is looked up again after `currentTtlMs`, so a change takes effect within a minute without
 * a deploy. Concurrent loads of one key share one read.
 */
export interface LoadedModelConfig {
  readonly name: string;
  readonly version: number;
  readonly config: ModelConfig;
}

export interface ModelConfigSource {
  /**
   * The given version, or the current one. Rejects with ModelNotFoundError for an unknown name or version, and
   * with ModelRemovedError for the current version of a removed model (its old versions stay readable).
   */
  load(name: string, version?: number): Promise<LoadedModelConfig>;
}

export interface ModelConfigSourceOptions {
  /** versions kept; 1,000 models of about 75 KB each would be 75 MB, so the default keeps fewer @default 200 */
  readonly maxVersions?: number;
  /** @default 60_000 */
  readonly currentTtlMs?: number;
  readonly now?: () => number;
}

export const makeCachedModelConfigSource = (
  store: Pick<ModelStore, 'get'>,
  options: ModelConfigSourceOptions = {},
): ModelConfigSource => {
  const maxVersions = options.maxVersions ?? 200;
  const ttl = options.currentTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const versions = new Map<string, Promise<LoadedModelConfig>>();
  const currents = new Map<string, { at: number; loaded: Promise<LoadedModelConfig> }>();

  /** caches a read; a failed read is forgotten, so the next load tries again */
  const remember = (key: string, loaded: Promise<LoadedModelConfig>): Promise<LoadedModelConfig> => {
    versions.set(key, loaded);
    while (versions.size > maxVersions) {
      const oldest = versions.keys().next().value;
      if (oldest === undefined) break;
      versions.delete(oldest);
    }
    loaded.catch(() => {
      if (versions.get(key) === loaded) versions.delete(key);
    });
    return loaded;
  };

  const loadVersion = (name: string, version: number): Promise<LoadedModelConfig> => {
    const key = `${name}@${version}`;
    const cached = versions.get(key);
    if (cached) {
      // most recently used goes last; the first key is the one to evict
      versions.delete(key);
      versions.set(key, cached);
      return cached;
    }
    return remember(
      key,
      store
        .get(name, version)
        .then(({ record }) => ({ name, version: record.version, config: record.config })),
    );
  };

  const loadCurrent = (name: string): Promise<LoadedModelConfig> => {
    const cached = currents.get(name);
    if (cached && now() - cached.at < ttl) return cached.loaded;
    const loaded = store.get(name).then(({ record, current }) => {
      if (current.status === 'removed') throw new ModelRemovedError(name, current.version);
      const result = { name, version: record.version, config: record.config };
      remember(`${name}@${record.version}`, Promise.resolve(result));
      return result;
    });
    currents.set(name, { at: now(), loaded });
    loaded.catch(() => {
      if (currents.get(name)?.loaded === loaded) currents.delete(name);
    });
    return loaded;
  };

  return {
    load: (name, version) => (version === undefined ? loadCurrent(name) : loadVersion(name, version)),
  };
};
