import { evaluateQualityAtScale } from '../functions/engine/labels/quality-at-scale.ts';
import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import type { QualityEvaluation, QualityProblem } from '../functions/engine/quality/evaluate-quality.ts';
import { stringifyReport } from '../functions/engine/report/drift-report.ts';
import { renderCheckPage } from '../functions/engine/report/html/render-check-page.ts';
import { qualityEvidence } from '../functions/engine/report/quality-evidence.ts';
import type { AwsFlags } from './aws-options.ts';
import { writeHtmlPage } from './html-page.ts';
import { makeInputLocations } from './input-location.ts';

export interface QualityFlags extends AwsFlags {
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

/** `model-care quality`: loaded only when the command runs (cli/quality-command.ts defines its flags) */
export const runQuality = async (flags: QualityFlags): Promise<void> => {
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
};
