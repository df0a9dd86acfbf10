import { summarizeProfile } from '../functions/engine/baseline/feature-summary.ts';
import { assertUsableBaseline } from '../functions/engine/baseline/load-baseline.ts';
import type { MethodChoice } from '../functions/engine/drift/drift-methods.ts';
import { runDataCheck } from '../functions/engine/monitor/run-data-check.ts';
import { dataEvidence } from '../functions/engine/report/data-evidence.ts';
import { stringifyReport, toConstraintViolationsFile } from '../functions/engine/report/drift-report.ts';
import { featureDistributions } from '../functions/engine/report/feature-distributions.ts';
import { renderCheckPage } from '../functions/engine/report/html/render-check-page.ts';
import { renderReportTable } from '../functions/engine/report/render-table.ts';
import { readBaselineDir, writeJsonFiles } from './baseline-files.ts';
import { detectFormat, schemaFromBaseline } from './baseline-schema.ts';
import { EXIT_VIOLATION } from './exit-codes.ts';
import { writeHtmlPage } from './html-page.ts';
import { excludedColumns, type InputFlags, inputOptionsOf } from './input-flags.ts';
import { makeInputLocations } from './input-location.ts';
import { type PayloadFlags, payloadSpecOf } from './payload-flags.ts';
import { assertSomethingUsable, profilePath } from './read-input.ts';

export interface CheckFlags extends InputFlags, PayloadFlags {
  baseline: string;
  current: string;
  out?: string;
  html?: string;
  method: MethodChoice;
  json?: boolean;
  failOnViolation?: boolean;
  minSamples?: number;
}

/** `model-care check`: loaded only when the command runs (cli/check-command.ts defines its flags) */
export const runCheck = async (flags: CheckFlags): Promise<void> => {
  // refused before the window is read: nothing can be judged against an empty baseline
  const locations = makeInputLocations(flags);
  // a path that does not parse is refused before anything is read
  const payload = payloadSpecOf(flags);
  const baseline = assertUsableBaseline(await readBaselineDir(flags.baseline, locations));
  const baselineNames = baseline.statistics.features.map((f) => f.name);
  const format =
    flags.format === 'auto'
      ? await detectFormat(flags.current, flags.maxLineLength, locations)
      : flags.format;
  const options = inputOptionsOf(flags, schemaFromBaseline(baselineNames, format));
  let excluded = 0;
  const input = {
    ...options,
    ...(payload === undefined
      ? {}
      : { schema: { ...options.schema, payload }, onExcluded: () => (excluded += 1) }),
    locations,
  };
  const { profile, malformed } = await profilePath(flags.current, input, 'checking');
  if (excluded > 0) process.stderr.write(`${excluded} record(s) left out by the exclude rules\n`);
  assertSomethingUsable(flags.current, profile, malformed);
  // a features-only baseline has no column for the endpoint's output: leave capture outputs out of the check
  const inputNames = new Set(input.schema?.inputNames ?? []);
  const known = new Set(baselineNames);
  const ignoreColumns = [
    ...excludedColumns(flags),
    ...(format === 'capture' ? profile.columns.filter((c) => !known.has(c) && !inputNames.has(c)) : []),
  ];
  const report = runDataCheck(baseline, profile, malformed, {
    method: flags.method,
    minSamples: flags.minSamples,
    ignoreColumns,
  });
  if (flags.out) {
    await writeJsonFiles(flags.out, {
      'constraint_violations.json': toConstraintViolationsFile(report),
      'report.json': report,
    });
  }
  if (flags.html) {
    const ignored = new Set(ignoreColumns);
    const summary = summarizeProfile(profile);
    const current = { rows: summary.rows, features: summary.features.filter((f) => !ignored.has(f.name)) };
    const page = renderCheckPage({
      kind: 'data',
      inputs: { baseline: flags.baseline, current: flags.current, generatedAt: new Date().toISOString() },
      report,
      evidence: dataEvidence(report, baseline.summary, current),
      distributions: featureDistributions(baseline.statistics, current),
    });
    await writeHtmlPage(flags.html, page);
  }
  process.stdout.write(flags.json ? `${stringifyReport(report)}\n` : `${renderReportTable(report)}\n`);
  if (flags.failOnViolation && (report.dataset.drifted || report.violations.length > 0)) {
    process.exitCode = EXIT_VIOLATION;
  }
};
