import { Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { ConfigError } from '../config.ts';
import type { CaptureApi } from './capture-api.ts';

/** the principal's ARN when synth already knows it (an imported role or user), else undefined */
const knownArn = (principal: iam.IGrantable): string | undefined => {
  const arn =
    (principal.grantPrincipal as Partial<iam.IRole & iam.IUser>).roleArn ??
    (principal.grantPrincipal as Partial<iam.IUser>).userArn;
  return arn !== undefined && !Token.isUnresolved(arn) ? arn : undefined;
};

/**
 * Lets `principal` send `model`'s records to the capture API. A Function URL with AWS_IAM auth needs both
 * `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` (the latter conditioned on `lambda:InvokedViaFunctionUrl`),
 * which CDK's grantInvokeUrl grants together. IAM cannot tell models apart on one URL: the capture API does, by the
 * model's `producers.records`. So a principal whose ARN synth knows and that list leaves out is refused here, at
 * synth, rather than by a 403 at run time.
 */
export const grantProducer = (
  api: CaptureApi,
  models: readonly ModelConfig[],
  principal: iam.IGrantable,
  model: string,
): void => {
  const config = models.find((m) => m.name === model);
  if (!config) {
    throw new ConfigError(
      `grantProducer: no model "${model}" in this ModelCare (models: ${models.map((m) => m.name).join(', ')})`,
    );
  }
  const arn = knownArn(principal);
  const records = config.producers?.records;
  if (arn !== undefined && records !== undefined && !records.includes(arn)) {
    throw new ConfigError(
      `grantProducer: ${arn} is not in models[${models.indexOf(config)}].producers.records of "${model}": ` +
        'add it there, or the capture API answers it 403',
    );
  }
  api.grantInvokeUrl(principal);
};
