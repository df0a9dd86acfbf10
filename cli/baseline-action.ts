import { suggestConstraints } from '../functions/engine/baseline/suggest-constraints.ts';
import { toStatisticsFile } from '../functions/engine/baseline/write-statistics.ts';
import { CONSTRAINTS_FILE, STATISTICS_FILE, writeJsonFiles } from './baseline-files.ts';
import { excludedColumns, type InputFlags, inputOptionsOf } from './input-flags.ts';
import { assertSomethingUsable, profilePath } from './read-input.ts';

export interface BaselineFlags extends InputFlags {
  input: string;
  out: string;
}

/** `model-care baseline`: loaded only when the command runs (cli/baseline-command.ts defines its flags) */
export const runBaseline = async (flags: BaselineFlags): Promise<void> => {
  const profiled = await profilePath(flags.input, inputOptionsOf(flags), 'profiling');
  const { malformed, files, format } = profiled;
  assertSomethingUsable(flags.input, profiled.profile, malformed);
  const profile = profiled.profile.without(excludedColumns(flags));
  // both files are made before either is written: a profile that cannot be a baseline leaves nothing behind
  const statistics = toStatisticsFile(profile, flags.input);
  const constraints = suggestConstraints(profile);
  const written = await writeJsonFiles(flags.out, {
    [STATISTICS_FILE]: statistics,
    [CONSTRAINTS_FILE]: constraints,
  });
  const out = process.stderr;
  const read = files.length - malformed.unreadableCount;
  out.write(
    `baseline of ${profile.rows} rows x ${profile.columns.length} features from ${read} ${format} file(s)\n`,
  );
  const skipped = malformed.summary();
  if (skipped !== undefined) {
    out.write(`${skipped} skipped, first ones:\n`);
    for (const line of malformed.lines().slice(0, 10)) out.write(`  ${line}\n`);
  }
  if (malformed.unreadableCount > 0) {
    out.write(`${malformed.unreadableCount} unreadable file(s) skipped:\n`);
    for (const line of malformed.unreadableLines().slice(0, 10)) out.write(`  ${line}\n`);
  }
  for (const path of written) out.write(`wrote ${path}\n`);
};
