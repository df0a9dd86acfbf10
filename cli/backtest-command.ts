import { type Command, InvalidArgumentError, Option } from 'commander';
import { summarizeProfile } from '../functions/engine/baseline/feature-summary.ts';
import { InputError } from '../functions/engine/errors.ts';
import { runDataCheck } from '../functions/engine/monitor/run-data-check.ts';
import { stringifyReport } from '../functions/engine/report/drift-report.ts';
import { advanceVerdicts, type DatasetVerdict } from '../functions/engine/verdicts/dataset-verdict.ts';
import {
  DEFAULT_MIN_SLOT_ROWS,
  SEASONALITIES,
  type Seasonality,
} from '../functions/engine/verdicts/seasonal-reference.ts';
import { referencesOf } from '../functions/engine/verdicts/sequential-check.ts';
import {
  type VerdictSettings,
  VerdictSettingsError,
  verdictSettings,
} from '../functions/engine/verdicts/verdict-settings.ts';
import type { FeatureVerdictState } from '../functions/engine/verdicts/verdict-state.ts';
import { seasonalFromData, windowSlots } from './backtest-seasonal.ts';
import { type BacktestWindow, fileWindows, parseWindowFlag, timeWindows } from './backtest-windows.ts';
import { readBaselineDir } from './baseline-files.ts';
import { detectFormat, schemaFromBaseline } from './baseline-schema.ts';
import { addInputOptions, excludedColumns, type InputFlags, inputOptionsOf } from './input-flags.ts';

interface BacktestFlags extends InputFlags {
  baseline: string;
  current: string;
  window: string;
  timeField?: string;
  json?: boolean;
  failOnViolation?: boolean;
  relevance?: number;
  alpha?: number;
  level?: VerdictSettings['level'];
  form?: VerdictSettings['form'];
  seasonality: Seasonality;
  baselineData?: string;
  minSlotRows: number;
}

/** `--json`: one entry per window, in order; stable, fields may be added, never renamed */
export interface BacktestJson {
  readonly formatVersion: 1;
  readonly windows: {
    readonly index: number;
    readonly name: string;
    readonly rows: number;
    /** today's per-window verdict (the data check's dataset drift) */
    readonly drifted: boolean;
    /** the sequential verdict */
    readonly alarm: boolean;
    readonly features: { readonly name: string; readonly evidence: number; readonly alarm: boolean }[];
  }[];
  /** index of the first window whose sequential verdict alarmed */
  readonly firstAlarm: number | null;
}

export const EXIT_ALARM = 1;

/** a verdict setting from the command line, checked as the config checks it, named as the user typed it */
const setting =
  (name: 'relevance' | 'alpha') =>
  (value: string): number => {
    const n = Number(value);
    try {
      verdictSettings({ [name]: value.trim() === '' ? Number.NaN : n }, '--');
    } catch (error) {
      if (error instanceof VerdictSettingsError) throw new InvalidArgumentError(error.message);
      throw error;
    }
    return n;
  };

const positiveInteger = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return n;
};

const pad = (cells: string[], widths: number[]): string =>
  cells
    .map((cell, i) => cell.padEnd(widths[i]!))
    .join('  ')
    .trimEnd();

const formatEvidence = (e: number): string => (e >= 1e4 ? e.toExponential(1) : e.toFixed(2));

const tableLine = (
  index: number,
  window: BacktestWindow,
  rows: number,
  drifted: boolean,
  verdict: DatasetVerdict,
): string => {
  const top = [...verdict.features].sort((a, b) => b.evidence - a.evidence)[0];
  const sequential =
    verdict.status === 'no-data' ? 'no rows: evidence unchanged' : verdict.alarm ? 'ALARM' : '-';
  const evidence = top ? `${top.name} ${formatEvidence(top.evidence)}` : '-';
  return pad(
    [
      String(index),
      window.name,
      String(rows),
      rows === 0 ? '-' : drifted ? 'DRIFT' : 'ok',
      sequential,
      evidence,
    ],
    WIDTHS,
  );
};

const WIDTHS = [6, 24, 6, 10, 12, 24];

export const registerBacktestCommand = (program: Command): void => {
  const command = program
    .command('backtest')
    .description(
      'replay a history of windows through the sequential verdict, beside today’s per-window check',
    )
    .requiredOption(
      '-b, --baseline <dir>',
      "directory with statistics.json and constraints.json (ours or Model Monitor's)",
    )
    .requiredOption(
      '-c, --current <path>',
      'the history: a directory of window files, or files to split by time',
    )
    .option(
      '-w, --window <file|duration>',
      'file: each file (name order) is a window; or 30m, 1h, 1d to split by time',
      'file',
    )
    .option(
      '--time-field <name>',
      'the column holding each row’s time (capture files: eventMetadata.inferenceTime)',
    )
    .option('--json', 'print the backtest as JSON on stdout instead of a table')
    .option('--fail-on-violation', `exit with ${EXIT_ALARM} when the sequential verdict alarms`)
    .option(
      '--relevance <δ>',
      'KS distance / total variation below which a difference is irrelevant',
      setting('relevance'),
    )
    .option('--alpha <α>', 'false-alarm probability over the whole history', setting('alpha'))
    .addOption(
      new Option('--level <level>', 'one payoff per window (hour) or per record').choices(['hour', 'record']),
    )
    .addOption(
      new Option('--form <form>', 'test martingale or Shiryaev–Roberts detector').choices([
        'test',
        'shiryaev-roberts',
      ]),
    )
    .addOption(
      new Option('--seasonality <slots>', 'compare each window with its own hour of day or of week')
        .choices([...SEASONALITIES])
        .default('none'),
    )
    .option('--baseline-data <path>', 'seasonal: the baseline’s rows, put in their slots by --time-field')
    .option(
      '--min-slot-rows <n>',
      'seasonal: fewest reference rows a slot may hold',
      positiveInteger,
      DEFAULT_MIN_SLOT_ROWS,
    );
  addInputOptions(command).action(async (flags: BacktestFlags) => {
    const windowing = parseWindowFlag(flags.window);
    const settings = verdictSettings(
      { relevance: flags.relevance, alpha: flags.alpha, level: flags.level, form: flags.form },
      '--',
    );
    const baseline = await readBaselineDir(flags.baseline);
    const baselineNames = baseline.statistics.features.map((f) => f.name);
    const format = flags.format === 'auto' ? await detectFormat(flags.current) : flags.format;
    const input = inputOptionsOf(flags, schemaFromBaseline(baselineNames, format));
    const ignore = [...excludedColumns(flags), ...(flags.timeField ? [flags.timeField] : [])];
    const pooled = referencesOf(baseline, 'backtest', settings, { ignore });
    if (flags.seasonality !== 'none' && (windowing === 'file' || !flags.baselineData)) {
      throw new InputError(
        { file: '--seasonality' },
        `"${flags.seasonality}" needs --baseline-data (the baseline's rows with their times) and --window with a duration`,
      );
    }
    const seasonal =
      flags.seasonality === 'none'
        ? undefined
        : await seasonalFromData(
            flags.baselineData!,
            inputOptionsOf(flags),
            flags.seasonality,
            flags.timeField,
            pooled.features,
            settings.referenceRisk,
            flags.minSlotRows,
          );
    const references = seasonal ? referencesOf(baseline, 'backtest', settings, { ignore, seasonal }) : pooled;
    const windows =
      windowing === 'file'
        ? fileWindows(flags.current, input)
        : timeWindows(flags.current, input, windowing, flags.timeField);

    let states = new Map<string, FeatureVerdictState>();
    const entries: BacktestJson['windows'][number][] = [];
    let firstAlarm: number | null = null;
    const lines: string[] = [];
    let index = 0;
    for await (const window of windows) {
      const key = String(index).padStart(9, '0');
      const profile = window.profile;
      const known = new Set(baselineNames);
      const ignoreColumns = [...ignore, ...(profile?.columns.filter((c) => !known.has(c)) ?? [])];
      const report = profile ? runDataCheck(baseline, profile, window.malformed, { ignoreColumns }) : null;
      const summary = profile ? summarizeProfile(profile) : { rows: 0, features: [] };
      const slots =
        seasonal && window.start ? windowSlots(seasonal.seasonality, window.start, summary.rows) : {};
      const { states: next, verdict } = advanceVerdicts(
        references,
        { key, summary, ...slots },
        states,
        settings,
      );
      states = next;
      const rows = summary.rows;
      const drifted = report?.dataset.drifted ?? false;
      if (verdict.alarm && firstAlarm === null) firstAlarm = index;
      entries.push({
        index,
        name: window.name,
        rows,
        drifted,
        alarm: verdict.alarm,
        features: verdict.features.map((f) => ({ name: f.name, evidence: f.evidence, alarm: f.alarm })),
      });
      if (!flags.json) lines.push(tableLine(index, window, rows, drifted, verdict));
      index += 1;
    }

    const result: BacktestJson = { formatVersion: 1, windows: entries, firstAlarm };
    if (flags.json) process.stdout.write(`${stringifyReport(result)}\n`);
    else {
      const drifted = entries.filter((w) => w.drifted).length;
      const first = firstAlarm === null ? null : entries[firstAlarm]!;
      process.stdout.write(
        `${[
          pad(['window', 'name', 'rows', 'per-window', 'sequential', 'largest evidence'], WIDTHS),
          pad(
            WIDTHS.map((w) => '-'.repeat(w)),
            WIDTHS,
          ),
          ...lines,
          '',
          `${entries.length} window(s); per-window check drifted in ${drifted}; sequential verdict ` +
            (first
              ? `alarmed first at window ${first.index} (${first.name}): ${first.features
                  .filter((f) => f.alarm)
                  .map((f) => f.name)
                  .join(', ')}`
              : 'never alarmed') +
            ` (δ = ${settings.relevance}, α = ${settings.alpha}, ${settings.level} level, ${settings.form})`,
        ].join('\n')}\n`,
      );
    }
    if (flags.failOnViolation && firstAlarm !== null) process.exitCode = EXIT_ALARM;
  });
};
