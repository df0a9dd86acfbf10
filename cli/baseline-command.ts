import type { Command } from 'commander';
import { suggestConstraints } from '../functions/engine/baseline/suggest-constraints.ts';
import { toStatisticsFile } from '../functions/engine/baseline/write-statistics.ts';
import { CONSTRAINTS_FILE, STATISTICS_FILE, writeJsonFiles } from './baseline-files.ts';
import { addInputOptions, excludedColumns, type InputFlags, inputOptionsOf } from './input-flags.ts';
import { profilePath } from './read-input.ts';

interface BaselineFlags extends InputFlags {
  input: string;
  out: string;
}

export const registerBaselineCommand = (program: Command): void => {
  const command = program
    .command('baseline')
    .description(
      'profile a training dataset and write Model Monitor-compatible statistics.json and constraints.json',
    )
    .requiredOption(
      '-i, --input <path>',
      'CSV, JSON Lines or SageMaker capture file (.gz ok), or a directory of them',
    )
    .requiredOption('-o, --out <dir>', 'directory to write statistics.json and constraints.json into');
  addInputOptions(command).action(async (flags: BaselineFlags) => {
    const profiled = await profilePath(flags.input, inputOptionsOf(flags), 'profiling');
    const { malformed, files, format } = profiled;
    const profile = profiled.profile.without(excludedColumns(flags));
    const written = await writeJsonFiles(flags.out, {
      [STATISTICS_FILE]: toStatisticsFile(profile),
      [CONSTRAINTS_FILE]: suggestConstraints(profile),
    });
    const out = process.stderr;
    out.write(
      `baseline of ${profile.rows} rows x ${profile.columns.length} features from ${files.length} ${format} file(s)\n`,
    );
    if (malformed.count > 0) {
      out.write(`${malformed.count} malformed record(s) skipped, first ones:\n`);
      for (const line of malformed.lines().slice(0, 10)) out.write(`  ${line}\n`);
    }
    for (const path of written) out.write(`wrote ${path}\n`);
  });
};
