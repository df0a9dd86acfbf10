/** Persistent state of streaming detectors (e.g. ADWIN, Page-Hinkley) between runs. Implementation: dynamodb/. */

export interface DetectorState {
  /** the detector's own serialisation, stored verbatim */
  readonly stateJson: string;
  /** starts at 1 with the first save and grows by one with each */
  readonly version: number;
  readonly updatedAt: string;
}

export interface DetectorStateRepository {
  load(model: string, detector: string): Promise<DetectorState | undefined>;
  /**
   * Saves if the stored version is still `expectedVersion` (0: nothing saved yet) and resolves the new version.
   * Rejects with StaleStateError when another run saved in between: reload, replay, save again.
   */
  save(
    model: string,
    detector: string,
    stateJson: string,
    expectedVersion: number,
    now?: Date,
  ): Promise<number>;
}
