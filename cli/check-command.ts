import { type Command, Option } from 'commander';
import { summarizeProfile } from '../functions/engine/baseline/feature-summary.ts';
import { assertUsableBaseline } from '../functions/engine/baseline/load-baseline.ts';
import { DRIFT_METHODS, type MethodChoice } from '../functions/engine/drift/drift-methods.ts';
import { runDataCheck } from '../functions/engine/monitor/run-data-check.ts';
import { dataEvidence } from '../functions/engine/report/data-evidence.ts';
import { stringifyReport, toConstraintViolationsFile } from '../functions/engine/report/drift-report.ts';
import { featureDistributions } from '../functions/engine/report/feature-distributions.ts';
import { renderCheckPage } from '../functions/engine/report/html/render-check-page.ts';
import { renderReportTable } from '../functions/engine/report/render-table.ts';
import { readBaselineDir, writeJsonFiles } from './baseline-files.ts';
import { detectFormat, schemaFromBaseline } from './baseline-schema.ts';
import { writeHtmlPage } from './html-page.ts';
import {
  addInputOptions,
  excludedColumns,
  type InputFlags,
  inputOptionsOf,
  positiveInteger,
} from './input-flags.ts';
import { makeInputLocations } from './input-location.ts';
import { assertSomethingUsable, profilePath } from './read-input.ts';

interface CheckFlags extends InputFlags {
  baseline: string;
  current: string;
  out?: string;
  html?: string;
  method: MethodChoice;
  json?: boolean;
  failOnViolation?: boolean;
  minSamples?: number;
}

/** exit code when `--fail-on-violation` is set and the window drifted or broke a constraint */
export const EXIT_VIOLATION = 1;

export const registerCheckCommand = (program: Command): void => {
  const command = program
    .command('check')
    .description('check a window of data against a baseline for drift and data quality')
    .requiredOption(
      '-b, --baseline <dir>',
      "directory or s3:// prefix with statistics.json and constraints.json (ours or Model Monitor's)",
    )
    .requiredOption(
      '-c, --current <path>',
      'the window to check: a file or a directory of files, or an s3:// object or prefix',
    )
    .option('-o, --out <dir>', 'write constraint_violations.json and report.json here')
    .addOption(
      new Option('-m, --method <method>', 'drift method deciding each feature')
        .choices(['auto', ...DRIFT_METHODS])
        .default('auto'),
    )
    .option('--json', 'print the report as JSON on stdout instead of a table')
    .option(
      '--html <file>',
      'also write the self-contained HTML page of this check (evidence, distributions, violations)',
    )
    .option(
      '--fail-on-violation',
      `exit with ${EXIT_VIOLATION} when the dataset drifted or a constraint is violated`,
    )
    .option('--min-samples <n>', 'fewer values than this in a sample: report, do not judge', positiveInteger);
  addInputOptions(command).action(async (flags: CheckFlags) => {
    // refused before the window is read: nothing can be judged against an empty baseline
    const locations = makeInputLocations(flags);
    const baseline = assertUsableBaseline(await readBaselineDir(flags.baseline, locations));
    const baselineNames = baseline.statistics.features.map((f) => f.name);
    const format =
      flags.format === 'auto'
        ? await detectFormat(flags.current, flags.maxLineLength, locations)
        : flags.format;
    const input = { ...inputOptionsOf(flags, schemaFromBaseline(baselineNames, format)), locations };
    const { profile, malformed } = await profilePath(flags.current, input, 'checking');
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
  });
};
