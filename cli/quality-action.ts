import { evaluateQualityAtScale } from '../functions/engine/labels/quality-at-scale.ts';
import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import type { QualityEvaluation, QualityProblem } from '../functions/engine/quality/evaluate-quality.ts';
import { openFile } from '../functions/engine/readers/byte-source.ts';
import { stringifyReport } from '../functions/engine/report/drift-report.ts';

export interface QualityFlags {
  predictions: string;
  labels: string;
  problem: QualityProblem;
  threshold: number;
  segment?: string;
  names?: string;
  json?: boolean;
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
  const malformed = new MalformedLog();
  const names = flags.names?.split(',').map((n) => n.trim());
  const { evaluation: result } = await evaluateQualityAtScale(
    { file: flags.predictions, open: () => openFile(flags.predictions) },
    { file: flags.labels, open: () => openFile(flags.labels) },
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
  const output = flags.json
    ? stringifyReport({
        ...result,
        malformedRecords: malformed.count,
        malformedSamples: malformed.lines(),
      })
    : renderQuality(result, malformed);
  process.stdout.write(`${output}\n`);
};
