import { InputError } from '../functions/engine/errors.ts';
import type { FoundSchedule, Json } from './model-monitor-schedules.ts';

/**
 * Model Monitor's schedules, job definitions and baseline files as a model-care model config (pure). What has a
 * model-care counterpart is carried; everything else is listed in `notCarried` with what to do instead, so the
 * user knows exactly what the import left behind.
 */

export interface DataBaseline {
  readonly statisticsUri: string;
  readonly constraintsUri: string;
  readonly statistics: Json;
  readonly constraints: Json;
}

export interface MappingInput {
  readonly modelName: string;
  readonly endpoint: { readonly name: string; readonly variants: readonly string[] };
  readonly dataSchedule: FoundSchedule;
  readonly qualitySchedule?: FoundSchedule;
  readonly dataBaseline: DataBaseline;
  /** the model-quality baseline's constraints.json, when its schedule names one */
  readonly qualityConstraints?: Json;
  /** overrides the baselining job's dataset */
  readonly datasetUri?: string;
  /** for an endpoint without a model-quality schedule, which has no problem type */
  readonly problemType?: 'binary' | 'multiclass' | 'regression';
}

export interface MappedConfig {
  readonly config: Json;
  readonly carried: readonly string[];
  readonly notCarried: readonly string[];
}

const obj = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const PROBLEM_TYPES: Record<string, 'binary' | 'multiclass' | 'regression'> = {
  BinaryClassification: 'binary',
  MulticlassClassification: 'multiclass',
  Regression: 'regression',
};

/** Model Monitor's metric names (its *_constraints blocks) as the quality job names them */
const METRICS: Record<string, string> = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  auc: 'aucRoc',
  au_prc: 'prAuc',
  true_positive_rate: 'tpr',
  false_positive_rate: 'fpr',
  weighted_precision: 'weightedPrecision',
  weighted_recall: 'weightedRecall',
  weighted_f1: 'weightedF1',
  mae: 'mae',
  mse: 'mse',
  rmse: 'rmse',
  r2: 'r2',
};

const CATEGORICAL_METHODS: Record<string, string> = { LInfinity: 'LInfRobust', ChiSquared: 'ChiSquared' };

/** the Model Monitor analyzer's image; any other is a custom container */
const ANALYZER_IMAGE = /sagemaker-model-monitor-analyzer/;

/** an ISO 8601 offset as Model Monitor takes them (`-PT1H`, `-P1D`, `-PT30M`) in minutes; undefined if unreadable */
export const offsetMinutes = (text: string): number | undefined => {
  const match = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!match || text === 'P' || text === '-P' || text.endsWith('T')) return undefined;
  const [, sign, d, h, m, s] = match;
  const minutes = Number(d ?? 0) * 1440 + Number(h ?? 0) * 60 + Number(m ?? 0) + Number(s ?? 0) / 60;
  return sign ? -minutes : minutes;
};

/** a model name model-care accepts (1-32 of `a-z 0-9 -`) made from an endpoint name */
export const modelNameFor = (endpoint: string): string =>
  endpoint
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 32)
    .replace(/-+$/, '') || 'model';

const featuresOf = (baseline: DataBaseline, notCarried: string[]): Json[] => {
  const overrides = new Map<string, number>();
  for (const feature of Array.isArray(baseline.constraints.features) ? baseline.constraints.features : []) {
    const f = obj(feature);
    // Model Monitor nests a feature's overrides under its num_constraints / string_constraints
    for (const holder of [f, obj(f.num_constraints), obj(f.string_constraints)]) {
      const threshold = num(obj(holder.monitoring_config_overrides).comparison_threshold);
      if (threshold !== undefined && str(f.name)) overrides.set(String(f.name), threshold);
    }
  }
  const features: Json[] = [];
  for (const feature of Array.isArray(baseline.statistics.features) ? baseline.statistics.features : []) {
    const f = obj(feature);
    const name = str(f.name);
    if (!name) continue;
    const inferred = str(f.inferred_type);
    if (inferred !== 'Integral' && inferred !== 'Fractional' && inferred !== 'String') {
      notCarried.push(
        `feature ${name}: inferred_type ${inferred ?? 'none'} has no model-care type; add it to features[] as numerical or categorical`,
      );
      continue;
    }
    const threshold = overrides.get(name);
    features.push({
      name,
      type: inferred === 'String' ? 'categorical' : 'numerical',
      ...(threshold !== undefined && threshold > 0 ? { driftThreshold: threshold } : {}),
    });
  }
  if (features.length === 0) {
    throw new InputError(
      { file: baseline.statisticsUri },
      'has no feature with an inferred_type model-care can monitor (Integral, Fractional, String)',
    );
  }
  return features;
};

const thresholdsOf = (constraints: Json, carried: string[], notCarried: string[]): Json => {
  const config = obj(constraints.monitoring_config);
  const distribution = obj(config.distribution_constraints);
  const thresholds: Json = {};
  const set = (key: string, value: unknown, from: string) => {
    if (value === undefined) return;
    thresholds[key] = value;
    carried.push(`thresholds.${key} = ${JSON.stringify(value)} (monitoring_config ${from})`);
  };
  const positive = (value: unknown) => (num(value) !== undefined && Number(value) > 0 ? value : undefined);
  const share = (value: unknown) =>
    num(value) !== undefined && Number(value) >= 0 && Number(value) <= 1 ? value : undefined;
  set('comparisonThreshold', positive(distribution.comparison_threshold), 'comparison_threshold');
  set(
    'categoricalComparisonThreshold',
    positive(distribution.categorical_comparison_threshold),
    'categorical_comparison_threshold',
  );
  const method = str(distribution.comparison_method);
  set(
    'comparisonMethod',
    method === 'Robust' || method === 'Simple' ? method : undefined,
    'comparison_method',
  );
  const categorical = str(distribution.categorical_drift_method);
  set(
    'categoricalDriftMethod',
    categorical ? CATEGORICAL_METHODS[categorical] : undefined,
    'categorical_drift_method',
  );
  set('datatypeCheckThreshold', share(config.datatype_check_threshold), 'datatype_check_threshold');
  set('domainContentThreshold', share(config.domain_content_threshold), 'domain_content_threshold');
  const perform = str(distribution.perform_comparison);
  if (perform === 'Disabled' || distribution.enable_comparisons === false) {
    notCarried.push(
      'distribution_constraints.perform_comparison Disabled: model-care always compares distributions; raise ' +
        'thresholds.comparisonThreshold if drift should not alert',
    );
  }
  return thresholds;
};

const qualityThresholdsOf = (constraints: Json, carried: string[], notCarried: string[]): Json => {
  const quality: Json = {};
  for (const [block, metrics] of Object.entries(constraints)) {
    if (!block.endsWith('_constraints')) continue;
    for (const [metric, constraint] of Object.entries(obj(metrics))) {
      const c = obj(constraint);
      const name = METRICS[metric];
      const threshold = num(c.threshold);
      const operator = str(c.comparison_operator);
      if (!name || threshold === undefined || !operator) {
        notCarried.push(
          `model-quality constraint ${metric}: model-care has no such metric; leave it out or watch it elsewhere`,
        );
        continue;
      }
      quality[name] = { threshold, comparisonOperator: operator };
      carried.push(`thresholds.quality.${name} ${operator} ${threshold} (${block}.${metric})`);
      if (metric === 'r2') {
        notCarried.push(
          "r2's threshold came from Model Monitor, whose r2 swaps label and prediction; model-care reports the " +
            'textbook r2: check thresholds.quality.r2 against a baseline evaluation',
        );
      }
    }
  }
  return quality;
};

/** a CSV column index (Model Monitor's attribute for CSV output) says nothing of a name */
const outputName = (attribute: string | undefined, fallback: string): string =>
  attribute !== undefined && !/^\d+$/.test(attribute) ? attribute : fallback;

const appNotes = (schedule: FoundSchedule, app: Json, notCarried: string[]) => {
  const image = str(app.ImageUri);
  if (image && !ANALYZER_IMAGE.test(image)) {
    notCarried.push(
      `schedule ${schedule.name}: custom container ${image}: model-care runs its own engine; port what the container ` +
        'adds as checks on model-care reports (EventBridge "Check Completed" events)',
    );
  }
  if (str(app.RecordPreprocessorSourceUri)) {
    notCarried.push(
      `schedule ${schedule.name}: preprocessing script ${String(app.RecordPreprocessorSourceUri)}: write capture in ` +
        'a shape model-care reads (CSV, or JSON instances/features/flat objects), or send records through the capture API',
    );
  }
  if (str(app.PostAnalyticsProcessorSourceUri)) {
    notCarried.push(
      `schedule ${schedule.name}: post-analytics script ${String(app.PostAnalyticsProcessorSourceUri)}: subscribe ` +
        "to model-care's alerts (SNS topics) or its EventBridge events instead",
    );
  }
};

const datasetOf = (input: MappingInput): { uri: string; format: Json } => {
  const job = obj(input.dataSchedule.baseliningJob);
  const inputs = Array.isArray(job.ProcessingInputs) ? (job.ProcessingInputs as Json[]) : [];
  const found = inputs.find((i) => i.InputName === 'baseline_dataset_input');
  const uri = input.datasetUri ?? str(obj(found?.S3Input).S3Uri);
  if (!uri) {
    const baselining = str(obj(input.dataSchedule.definition?.DataQualityBaselineConfig).BaseliningJobName);
    throw new InputError(
      { file: `schedule ${input.dataSchedule.name}` },
      `the baseline's dataset is unknown (baselining job ${baselining ?? 'not named'}${job.ProcessingJobName ? ' has no baseline_dataset_input' : ' is gone'}): pass --dataset-uri s3://...`,
    );
  }
  // the analyzer's dataset_format: {"csv": {"header": true}} or {"json": {"lines": true}}
  let format: Json = { format: 'csv', header: true };
  const text = str(obj(job.Environment).dataset_format);
  if (text) {
    try {
      const parsed = obj(JSON.parse(text));
      if ('json' in parsed) format = { format: 'jsonl' };
      else if ('csv' in parsed) format = { format: 'csv', header: obj(parsed.csv).header !== false };
    } catch {
      // an unreadable dataset_format keeps the analyzer's own default, a CSV with a header
    }
  }
  return { uri, format };
};

export const mapModelMonitor = (input: MappingInput): MappedConfig => {
  const carried: string[] = [];
  const notCarried: string[] = [];
  const data = input.dataSchedule;
  const dataDefinition = obj(data.definition);
  const dataInput = obj(obj(dataDefinition.DataQualityJobInput).EndpointInput);
  appNotes(data, obj(dataDefinition.DataQualityAppSpecification), notCarried);

  const features = featuresOf(input.dataBaseline, notCarried);
  carried.push(`features: ${features.length} from ${input.dataBaseline.statisticsUri}`);
  const thresholds = thresholdsOf(input.dataBaseline.constraints, carried, notCarried);
  const dataset = datasetOf(input);
  carried.push(`baseline.datasetUri = ${dataset.uri}`);

  const schedules: Json = {};
  const expression = (schedule: FoundSchedule, key: 'data' | 'quality') => {
    const value = schedule.scheduleExpression;
    if (value?.startsWith('cron(')) {
      schedules[key] = value;
      carried.push(`schedules.${key} = ${value} (schedule ${schedule.name})`);
    } else {
      notCarried.push(
        `schedule ${schedule.name}: expression ${value ?? 'none'} (a one-off run) has no model-care counterpart; ` +
          `schedules.${key} keeps its default`,
      );
    }
  };
  expression(data, 'data');

  for (const [attribute, label] of [
    ['FeaturesAttribute', 'features_attribute'],
    ['InferenceAttribute', 'inference_attribute'],
    ['ProbabilityAttribute', 'probability_attribute'],
    ['ExcludeFeaturesAttribute', 'exclude_features_attribute'],
  ] as const) {
    const value = str(dataInput[attribute]);
    if (value) {
      notCarried.push(
        `schedule ${data.name}: ${label} ${JSON.stringify(value)}: model-care reads CSV columns in features[] order ` +
          'and JSON as instances/features/flat objects; remove an excluded feature from features[] only if it is ' +
          'the last column, else keep it',
      );
    }
  }

  let problemType = input.problemType;
  let outputs: Json[] | undefined;
  let decisionThreshold: number | undefined;
  const quality: Json = {};
  let qualityThresholds: Json = {};
  const qualitySchedule = input.qualitySchedule;
  if (qualitySchedule) {
    const definition = obj(qualitySchedule.definition);
    const app = obj(definition.ModelQualityAppSpecification);
    appNotes(qualitySchedule, app, notCarried);
    const mapped = PROBLEM_TYPES[str(app.ProblemType) ?? ''];
    if (mapped && !input.problemType) {
      problemType = mapped;
      carried.push(`problemType = ${mapped} (${String(app.ProblemType)})`);
    }
    const endpointInput = obj(obj(definition.ModelQualityJobInput).EndpointInput);
    const inference = str(endpointInput.InferenceAttribute);
    const probability = str(endpointInput.ProbabilityAttribute);
    outputs = [];
    if (probability !== undefined) outputs.push({ name: outputName(probability, 'score'), role: 'score' });
    if (inference !== undefined || problemType !== 'binary') {
      outputs.push({ name: outputName(inference, 'prediction'), role: 'prediction' });
    }
    carried.push(
      `outputs: ${outputs.map((o) => `${String(o.name)} (${String(o.role)})`).join(', ')} from inference_attribute/probability_attribute`,
    );
    const threshold = num(Number(endpointInput.ProbabilityThresholdAttribute));
    if (threshold !== undefined && threshold >= 0 && threshold <= 1) {
      decisionThreshold = threshold;
      carried.push(`decisionThreshold = ${threshold} (probability_threshold_attribute)`);
    }
    const start = str(endpointInput.StartTimeOffset);
    const end = str(endpointInput.EndTimeOffset);
    const startMinutes = start ? offsetMinutes(start) : undefined;
    const endMinutes = end ? offsetMinutes(end) : undefined;
    if (startMinutes !== undefined && endMinutes !== undefined && endMinutes > startMinutes) {
      schedules.qualityWindowMinutes = endMinutes - startMinutes;
      quality.labelHorizonHours = Math.min(8760, Math.max(1, Math.ceil(-startMinutes / 60)));
      carried.push(
        `schedules.qualityWindowMinutes = ${schedules.qualityWindowMinutes} and quality.labelHorizonHours = ` +
          `${quality.labelHorizonHours} (StartTimeOffset ${start}, EndTimeOffset ${end}: model-care re-judges a ` +
          'window as its labels arrive, up to the horizon)',
      );
    } else if (start || end) {
      notCarried.push(
        `time offsets ${start ?? '-'} / ${end ?? '-'} are not ISO 8601 durations model-care reads`,
      );
    }
    expression(qualitySchedule, 'quality');
    const groundTruth = str(obj(obj(definition.ModelQualityJobInput).GroundTruthS3Input).S3Uri);
    if (groundTruth) {
      notCarried.push(
        `ground truth ${groundTruth}: model-care reads labels (same groundTruthData format) from ` +
          's3://<CaptureBucket>/ground-truth/<model>/yyyy/mm/dd/hh/ or its labels API: point the label writer there',
      );
    }
    if (input.qualityConstraints) {
      qualityThresholds = qualityThresholdsOf(input.qualityConstraints, carried, notCarried);
    }
  }
  if (!problemType) {
    problemType = 'binary';
    notCarried.push('problemType: no model-quality schedule says it; "binary" was assumed: check it');
  }
  if (!outputs || outputs.length === 0) {
    outputs = [
      problemType === 'binary'
        ? { name: 'score', role: 'score' }
        : { name: 'prediction', role: 'prediction' },
    ];
    notCarried.push(
      `outputs: none named by Model Monitor; ${String(outputs[0]?.name)} was assumed: name the response's columns`,
    );
  }
  if (input.endpoint.variants.length > 1) {
    notCarried.push(
      `endpoint ${input.endpoint.name} has variants ${input.endpoint.variants.join(', ')}: the model watches ` +
        `${input.endpoint.variants[0]}; add one model per other variant (Model Monitor judged them together)`,
    );
  }
  const variant = input.endpoint.variants[0] ?? 'AllTraffic';
  notCarried.push(
    `capture: the data job reads capture/${input.endpoint.name}/${variant}/ of the capture store; point the endpoint's ` +
      'capture there with `model-care enable-capture --endpoint ' +
      `${input.endpoint.name} --s3-uri s3://<CaptureBucket>/capture --force\``,
  );
  const config: Json = {
    name: input.modelName,
    problemType,
    endpoint: { name: input.endpoint.name, variant },
    features,
    outputs,
    ...(decisionThreshold !== undefined ? { decisionThreshold } : {}),
    baseline: { datasetUri: dataset.uri, ...dataset.format },
    ...(Object.keys(schedules).length > 0 ? { schedules } : {}),
    thresholds: {
      ...thresholds,
      ...(Object.keys(qualityThresholds).length > 0 ? { quality: qualityThresholds } : {}),
    },
    ...(Object.keys(quality).length > 0 ? { quality } : {}),
    // off by default (each metric costs): set true to keep alarms on Model Monitor's metrics working
    compat: { modelMonitorMetrics: false, monitoringScheduleName: data.name },
  };
  carried.push(
    `compat.monitoringScheduleName = ${data.name}: set compat.modelMonitorMetrics to true to keep emitting ` +
      "Model Monitor's feature metrics under this schedule's dimensions",
  );
  return { config, carried, notCarried };
};
