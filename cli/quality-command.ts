import { type Command, InvalidArgumentError, Option } from 'commander';
import { evaluateQualityAtScale } from '../functions/engine/labels/quality-at-scale.ts';
import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import type { QualityEvaluation, QualityProblem } from '../functions/engine/quality/evaluate-quality.ts';
import { stringifyReport } from '../functions/engine/report/drift-report.ts';
import { renderCheckPage } from '../functions/engine/report/html/render-check-page.ts';
import { qualityEvidence } from '../functions/engine/report/quality-evidence.ts';
import { type AwsFlags, addAwsOptions } from './aws-options.ts';
import { writeHtmlPage } from './html-page.ts';
import { makeInputLocations } from './input-location.ts';

interface QualityFlags extends AwsFlags {
  predictions: string;
  labels: string;
  problem: QualityProblem;
  threshold: number;
  segment?: string;
  names?: string;
  json?: boolean;
  html?: string;
  memoryRows: number;
  spillDir?: string;
}

const positiveInteger = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return n;
};

const probability = (value: string): number => {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`"${value}" is not a number in [0, 1]`);
  return n;
};

const formatValue = (value: unknown): string => {
  if (typeof value === 'number') return Number.isFinite(value) ? value.toFixed(4) : String(value);
  return JSON.stringify(value);
};

const renderQuality = (result: QualityEvaluation, malformed: MalformedLog): string => {
  const lines = [
    `${result.problem} quality on ${result.rows} labelled predictions ` +
      `(unmatched: ${result.unmatched.predictions} predictions, ${result.unmatched.labels} labels` +
      `${result.invalid ? `; ${result.invalid} unreadable` : ''}${malformed.count ? `; ${malformed.count} malformed` : ''})`,
    '',
  ];
  const width = Math.max(...Object.keys(result.metrics).map((k) => k.length));
  for (const [name, value] of Object.entries(result.metrics))
    lines.push(`${name.padEnd(width)}  ${formatValue(value)}`);
  if (result.segments) {
    lines.push('');
    for (const [segment, metrics] of Object.entries(result.segments)) {
      const summary = Object.entries(metrics)
        .filter(([, v]) => typeof v === 'number')
        .slice(0, 4)
        .map(([k, v]) => `${k} ${formatValue(v)}`)
        .join(', ');
      lines.push(`segment ${JSON.stringify(segment)}: ${summary}`);
    }
  }
  if (result.fairness) {
    lines.push(
      '',
      `demographic parity difference ${formatValue(result.fairness.demographicParityDifference)}, ` +
        `equal opportunity difference ${formatValue(result.fairness.equalOpportunityDifference)}`,
    );
  }
  for (const line of malformed.lines().slice(0, 10)) lines.push(`  malformed: ${line}`);
  return lines.join('\n');
};

export const registerQualityCommand = (program: Command): void => {
  const command = program
    .command('quality')
    .description('join predictions with labels and compute model-quality metrics (scikit-learn definitions)')
    .requiredOption(
      '-p, --predictions <file>',
      'CSV or JSON Lines with id, prediction[, score], or SageMaker capture (joined by inferenceId, else eventId); a file or an s3:// object',
    )
    .requiredOption(
      '-l, --labels <file>',
      'CSV or JSON Lines with id, label, or Model Monitor ground-truth JSONL; a file or an s3:// object',
    )
    .addOption(
      new Option('--problem <type>', 'problem type')
        .choices(['binary', 'multiclass', 'regression'])
        .makeOptionMandatory(),
    )
    .option('-t, --threshold <p>', 'binary: scores at or above it predict label 1', probability, 0.5)
    .option('--segment <feature>', 'also compute every metric per value of this column (and fairness gaps)')
    .option('--names <list>', 'names for unnamed columns (headerless CSV, capture request cells)')
    .option('--json', 'print the result as JSON')
    .option('--html <file>', 'also write the self-contained HTML page of this evaluation')
    .option(
      '--memory-rows <n>',
      'most prediction ids (and scores) held in memory; past it the join and the AUC go through temporary files',
      positiveInteger,
      1_000_000,
    )
    .option('--spill-dir <dir>', 'where temporary files go (default: the system temporary directory)');
  addAwsOptions(command).action(async (flags: QualityFlags) => {
    const locations = makeInputLocations(flags);
    const malformed = new MalformedLog();
    const names = flags.names?.split(',').map((n) => n.trim());
    const { evaluation: result } = await evaluateQualityAtScale(
      { file: flags.predictions, open: () => locations.open(flags.predictions) },
      { file: flags.labels, open: () => locations.open(flags.labels) },
      flags.problem,
      {
        threshold: flags.threshold,
        names,
        columns: flags.segment ? { segment: flags.segment } : undefined,
        onMalformed: malformed.sink,
        maxRowsInMemory: flags.memoryRows,
        dir: flags.spillDir,
      },
    );
    if (flags.html) {
      // the figure people read first: accuracy for classifiers, RMSE for regression
      const regression = flags.problem === 'regression';
      const evidence = qualityEvidence(result, {
        metric: regression ? 'rmse' : 'accuracy',
        lowerIsBetter: regression,
      });
      const page = renderCheckPage({
        kind: 'quality',
        inputs: { current: flags.predictions, labels: flags.labels, generatedAt: new Date().toISOString() },
        evaluation: result,
        ...(evidence ? { evidence } : {}),
      });
      await writeHtmlPage(flags.html, page);
    }
    const output = flags.json
      ? stringifyReport({
          ...result,
          malformedRecords: malformed.count,
          malformedSamples: malformed.lines(),
        })
      : renderQuality(result, malformed);
    process.stdout.write(`${output}\n`);
  });
};
