import { type Command, Option } from 'commander';
import { addAwsOptions } from './aws-options.ts';
import type { ImportModelMonitorFlags } from './import-model-monitor-action.ts';

/**
 * `model-care import-model-monitor`: an endpoint's Model Monitor schedules, job definitions and baselines as a
 * model-care model config, with what could not be carried listed.
 */
export const registerImportModelMonitorCommand = (program: Command): void => {
  const command = program
    .command('import-model-monitor')
    .description(
      "write a model-care model config from an endpoint's Model Monitor schedules (data and model quality) and baselines",
    )
    .requiredOption('--endpoint <name>', 'the SageMaker endpoint Model Monitor watches')
    .option('--out <file>', 'where to write the model config (default: config/<model>.json)')
    .option('--name <model>', "the model's name (default: from the endpoint name)")
    .option(
      '--copy-baselines',
      "copy the baseline's statistics.json and constraints.json into the capture store as the model's current baseline",
    )
    .option('--bucket <name>', "the capture store for --copy-baselines (the stack's CaptureBucket output)")
    .option('--dataset-uri <uri>', 'the baseline dataset, when the baselining job that read it is gone')
    .addOption(
      new Option('--problem-type <type>', 'when no model-quality schedule says it').choices([
        'binary',
        'multiclass',
        'regression',
      ]),
    );
  addAwsOptions(command).action(async (flags: ImportModelMonitorFlags) => {
    const { runImportModelMonitor } = await import('./import-model-monitor-action.ts');
    await runImportModelMonitor(flags);
  });
};
