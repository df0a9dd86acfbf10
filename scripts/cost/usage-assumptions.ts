/**
 * What the template cannot say: how long runs take, how big records and logs are, how many items a run writes.
 * Each figure is an estimate from the code it names; the cost output repeats them, so a reader can redo the sums.
 */
export const HOURS_PER_MONTH = 730;

export const USAGE_ASSUMPTIONS = {
  /** bytes of one capture line: a CSV request of a dozen features and its response, in SageMaker's envelope */
  captureRecordBytes: 1024,
  /** wall seconds of a data run of an hourly window of modest traffic (profile, drift, report) */
  dataRunSeconds: 5,
  /** wall seconds of a quality run (join capture and labels, metrics, detectors) */
  qualityRunSeconds: 5,
  /** wall seconds of a capture API request that writes its record (api: a PUT; stream: a Firehose put) */
  captureRequestSeconds: 0.05,
  /** wall seconds of any other scheduled invocation (e.g. a dispatcher tick) */
  otherScheduledSeconds: 1,
  /** log bytes of a run: Lambda's START/END/REPORT, our structured lines and the EMF blobs of its metrics */
  runLogBytes: 16 * 1024,
  /** log bytes of a capture request */
  captureLogBytes: 1024,
  /**
   * DynamoDB items a data run writes: 8 series points per feature and 5 for the dataset
   * (functions/data-job/data-run-output.ts dataMetricPoints), plus the run record, detector state and alert state
   */
  dataRunWrites: (features: number): number => 8 * features + 5 + 3,
  /** a quality run: one series point per metric and 5 for the dataset, plus run record, detector and alert state */
  qualityRunWrites: (qualityMetrics: number): number => qualityMetrics + 5 + 3,
  /** S3 PUTs of a run: report.json, constraint_violations.json and the window profile */
  runPuts: 3,
  /** Firehose writes a partition's buffer after this many seconds or bytes, whichever comes first */
  streamBufferSeconds: 300,
  streamBufferBytes: 64 * 1024 * 1024,
  /** Firehose bills ingestion per record rounded up to this size */
  firehoseRecordRoundingBytes: 5 * 1024,
} as const;
