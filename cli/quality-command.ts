import { type Command, InvalidArgumentError, Option } from 'commander';
import { addAwsOptions } from './aws-options.ts';
import type { QualityFlags } from './quality-action.ts';

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
  // the engine loads only when the command runs, so `--help` and a usage error stay instant
  addAwsOptions(command).action(async (flags: QualityFlags) => {
    const { runQuality } = await import('./quality-action.ts');
    await runQuality(flags);
  });
};
