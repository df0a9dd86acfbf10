/**
 * A buffered delivery stream of capture records: Amazon Data Firehose in the cloud
 * (firehose/firehose-capture-stream.ts), a local writer with the same partitioning in the twin
 * (local/capture/local-capture-stream.ts). The stream, not the caller, decides when an object is written.
 */
export interface CaptureStream {
  /**
   * Puts records, each one newline-terminated JSON line carrying its capture folder. Resolves with the indexes
   * of the records the stream did not accept (the caller retries those); rejects when the call itself failed.
   */
  putRecords(records: readonly string[]): Promise<readonly number[]>;
}
