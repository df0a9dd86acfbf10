import { type Command, Option } from 'commander';
import { DRIFT_METHODS } from '../functions/engine/drift/drift-methods.ts';
import type { CheckFlags } from './check-action.ts';
import { EXIT_VIOLATION } from './exit-codes.ts';
import { addInputOptions, positiveInteger } from './input-flags.ts';
import { addPayloadOptions } from './payload-flags.ts';

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
  // the engine loads only when the command runs, so `--help` and a usage error stay instant
  addPayloadOptions(addInputOptions(command)).action(async (flags: CheckFlags) => {
    const { runCheck } = await import('./check-action.ts');
    await runCheck(flags);
  });
};
