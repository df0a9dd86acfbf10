import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AdminUsageError } from './admin-client.ts';

/** the CloudFormation output of the stack that names the admin API's Function URL */
export const ADMIN_URL_OUTPUT = 'AdminApiUrl';

export interface TargetFlags {
  url?: string;
  stack?: string;
  region?: string;
}

/**
 * The admin API's URL: `--url`, or the `AdminApiUrl` output of `--stack` read with DescribeStacks (default
 * credential chain and region; the endpoint may be overridden like any SDK call, AWS_ENDPOINT_URL_CLOUDFORMATION).
 */
export const resolveAdminUrl = async (flags: TargetFlags): Promise<string> => {
  if (flags.url && flags.stack) throw new AdminUsageError('give --url or --stack, not both');
  if (flags.url) return flags.url;
  if (!flags.stack) {
    throw new AdminUsageError(
      'which deployment? give --stack <name> (its AdminApiUrl output) or --url <admin API URL>',
    );
  }
  const client = new CloudFormationClient(flags.region ? { region: flags.region } : {});
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: flags.stack }));
    const output = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === ADMIN_URL_OUTPUT)?.OutputValue;
    if (!output) {
      throw new AdminUsageError(
        `stack ${flags.stack} has no ${ADMIN_URL_OUTPUT} output: deploy a model-care version with the admin API, or give --url`,
      );
    }
    return output;
  } catch (error) {
    if (error instanceof AdminUsageError) throw error;
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new AdminUsageError(`--stack ${flags.stack}: cannot read its outputs (${reason})`);
  } finally {
    client.destroy();
  }
};
