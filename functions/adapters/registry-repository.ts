/** Model versions and the champion per model. Implementation: dynamodb/dynamodb-registry-repository.ts. */

export interface NewModelVersion {
  /** positive integer, unique per model; the caller proposes latest + 1 and retries on VersionExistsError */
  readonly version: number;
  readonly createdAt: string;
  /** the model artefact, e.g. `s3://bucket/training/job/output/model.tar.gz` */
  readonly artifactUri: string;
  readonly trainingJobName?: string;
  /** the SageMaker Model created for this version, once there is one */
  readonly sagemakerModelName?: string;
  /** the data manifest (inputs and content hashes) this version was trained on */
  readonly dataManifestKey?: string;
  readonly baselinePrefix?: string;
  /** holdout metrics from the challenger evaluation, finite numbers */
  readonly evaluation: Readonly<Record<string, number>>;
}

export interface ModelVersion extends NewModelVersion {
  readonly model: string;
}

export interface Champion {
  readonly model: string;
  readonly version: number;
  /** when it became champion */
  readonly since: string;
  /** the champion it replaced, kept so a rollback knows where to go back to */
  readonly previousVersion: number | null;
}

export interface RegistryRepository {
  /** Rejects with VersionExistsError when the version is already registered: versions are immutable. */
  registerVersion(model: string, version: NewModelVersion): Promise<ModelVersion>;
  getVersion(model: string, version: number): Promise<ModelVersion | undefined>;
  /** oldest first */
  listVersions(model: string): Promise<ModelVersion[]>;
  latestVersion(model: string): Promise<ModelVersion | undefined>;
  getChampion(model: string): Promise<Champion | undefined>;
  /**
   * Makes `version` the champion if the champion is still `expectedCurrent` (`null`: no champion yet).
   * Rejects with StaleChampionError when someone else changed it, VersionNotFoundError for an unknown version.
   * Setting the version that already is champion succeeds, so a retried promotion step is harmless.
   */
  setChampion(model: string, version: number, expectedCurrent: number | null, now?: Date): Promise<Champion>;
}
