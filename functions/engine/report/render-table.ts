import { skippedSummary } from '../profile/malformed-log.ts';
import type { DriftReport } from './drift-report.ts';

const formatNumber = (value: number | null | undefined): string => {
  if (value === null || value === undefined) return '-';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return value.toFixed(4);
};

const pad = (cells: string[], widths: number[]): string =>
  cells
    .map((cell, i) => cell.padEnd(widths[i]!))
    .join('  ')
    .trimEnd();

/** A plain-text summary of a report for a terminal: one row per feature, then the violations. */
export const renderReportTable = (report: DriftReport): string => {
  const { dataset } = report;
  const lines: string[] = [];
  const verdict =
    dataset.status === 'no-data'
      ? 'NO DATA in the current window'
      : dataset.status === 'insufficient-data'
        ? 'not enough data to judge drift'
        : dataset.drifted
          ? 'DATASET DRIFT'
          : 'no dataset drift';
  lines.push(
    `${verdict}: ${report.features.filter((f) => f.drifted).length} of ${report.features.length} features drifted ` +
      `(share ${formatNumber(dataset.driftedShare)}, threshold ${dataset.driftShareThreshold}); ` +
      `rows baseline ${dataset.rowsBaseline}, current ${dataset.rowsCurrent}` +
      (dataset.malformedRecords > 0 ? `, malformed ${dataset.malformedRecords}` : '') +
      (dataset.malformedValues > 0 ? `, malformed values ${dataset.malformedValues}` : '') +
      (dataset.unreadableFiles > 0 ? `, unreadable files ${dataset.unreadableFiles}` : ''),
  );
  const header = [
    'feature',
    'type',
    'method',
    'statistic',
    'p-value',
    'threshold',
    'drift',
    'n base',
    'n cur',
    'missing',
  ];
  const rows = report.features.map((f) => [
    f.name,
    f.type,
    f.method,
    formatNumber(f.statistic),
    formatNumber(f.pValue),
    String(f.threshold),
    f.status !== 'ok' ? f.status : f.drifted ? 'DRIFT' : 'ok',
    String(f.baselineCount),
    String(f.currentCount),
    formatNumber(f.missingShare),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  lines.push(
    '',
    pad(header, widths),
    pad(
      widths.map((w) => '-'.repeat(w)),
      widths,
    ),
  );
  for (const row of rows) lines.push(pad(row, widths));
  const notes = report.features.filter((f) => (f.newCategories?.length ?? 0) > 0);
  for (const f of notes)
    lines.push(`  ${f.name}: new categories ${f.newCategories!.slice(0, 10).join(', ')}`);
  lines.push('');
  if (report.violations.length === 0) lines.push('no constraint violations');
  else {
    lines.push(`${report.violations.length} constraint violation(s):`);
    for (const v of report.violations)
      lines.push(`  ${v.feature_name}  ${v.constraint_check_type}  ${v.description}`);
  }
  if (report.malformedSamples.length > 0) {
    const skipped = skippedSummary(dataset.malformedRecords, dataset.malformedValues);
    lines.push('', `${skipped ?? 'nothing'} skipped, first ones:`);
    for (const sample of report.malformedSamples.slice(0, 10)) lines.push(`  ${sample}`);
  }
  if (report.unreadableSamples.length > 0) {
    lines.push('', `${dataset.unreadableFiles} unreadable file(s) skipped:`);
    for (const file of report.unreadableSamples.slice(0, 10)) lines.push(`  ${file}`);
  }
  return lines.join('\n');
};
