import { type Command, InvalidArgumentError } from 'commander';
import { addAwsOptions } from './aws-options.ts';
import type { EnableCaptureFlags } from './enable-capture-action.ts';

const percentage = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new InvalidArgumentError(`"${value}" is not a whole percentage 1-100`);
  return n;
};

/**
 * `model-care enable-capture`: turns on data capture of a live SageMaker endpoint (a copied endpoint config with
 * only the capture block changed, then UpdateEndpoint), printing what changes and the IAM the role needs.
 */
export const registerEnableCaptureCommand = (program: Command): void => {
  const command = program
    .command('enable-capture')
    .description(
      "turn on a live endpoint's data capture: a copy of its endpoint config with only DataCaptureConfig set, then UpdateEndpoint",
    )
    .requiredOption('--endpoint <name>', 'the SageMaker endpoint')
    .requiredOption(
      '--s3-uri <uri>',
      'where SageMaker writes capture: s3://bucket/prefix (objects land in <prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/)',
    )
    .option('--sampling <percent>', 'share of requests captured, 1-100', percentage, 100)
    .option('--kms-key <arn>', 'KMS key ARN SageMaker encrypts the captured objects with')
    .option('--dry-run', 'print the plan; change nothing')
    .option('--force', 'switch capture that is already on to another destination')
    .option('--json', 'print the plan as JSON');
  addAwsOptions(command).action(async (flags: EnableCaptureFlags) => {
    const { runEnableCapture } = await import('./enable-capture-action.ts');
    await runEnableCapture(flags);
  });
};
