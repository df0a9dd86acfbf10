/**
 * Top-level prefixes of the capture store. Below them, per model:
 * - capture/<endpoint>/<variant>/yyyy/mm/dd/hh/<id>.jsonl — SageMaker Data Capture layout (see `captureLocation`)
 * - ground-truth/<model>/yyyy/mm/dd/hh/<id>.jsonl — Model Monitor ground-truth records
 * - baselines/<model>/<version>/statistics.json, constraints.json (and slots.json, a seasonal baseline's slots)
 * - reports/<model>/<job>/<windowStartIso>/constraint_violations.json, report.json
 * - profiles/<model>/<windowStartIso>.json — mergeable hourly profiles
 * - profiles/<model>/parts/<windowStartIso>/<n>.json — partial profiles of a fanned-out window (window-fan-out.ts)
 * - quarantine/<model>/<original key> — unparseable capture objects, with the reason as object metadata
 * - training/<model>/<jobName>/ — prepared channels, manifest, holdout, transform output, model artifacts
 */
export const STORE_PREFIXES = {
  capture: 'capture/',
  groundTruth: 'ground-truth/',
  baselines: 'baselines/',
  reports: 'reports/',
  profiles: 'profiles/',
  quarantine: 'quarantine/',
  training: 'training/',
} as const;
