import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Command } from 'commander';
import type { AuditLog } from '../functions/adapters/audit-log.ts';
import { makeDocumentClient } from '../functions/adapters/dynamodb/document-client.ts';
import { makeDynamoAuditLog } from '../functions/adapters/dynamodb/dynamodb-audit-log.ts';
import { InputError } from '../functions/engine/errors.ts';
import { AUDIT_TABLE } from '../functions/shared/tables.ts';
import { type AwsFlags, addAwsOptions, awsClientConfig, withAwsErrors } from './aws-options.ts';

export interface AuditTargetFlags extends AwsFlags {
  table?: string;
  stack?: string;
}

/** `--table` or `--stack`, plus the AWS options: where the audit table is. */
export const addAuditTargetOptions = (command: Command): Command =>
  addAwsOptions(
    command
      .option('--table <name>', 'the audit table (a local twin: its name, with --endpoint-url)')
      .option('--stack <name>', `the deployed stack; its ${AUDIT_TABLE.outputKey} output names the table`),
  );

const tableOfStack = async (stack: string, flags: AwsFlags): Promise<string> => {
  const target = `--stack ${stack}`;
  const cfn = new CloudFormationClient(awsClientConfig(flags));
  try {
    const { Stacks } = await withAwsErrors(target, async () => {
      try {
        return await cfn.send(new DescribeStacksCommand({ StackName: stack }));
      } catch (error) {
        // CloudFormation answers a missing stack with a ValidationError "Stack with id X does not exist"
        if (error instanceof Error && /does not exist/.test(error.message)) {
          throw new InputError({ file: target }, 'no such stack (check the name and the region)');
        }
        throw error;
      }
    });
    const output = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === AUDIT_TABLE.outputKey)?.OutputValue;
    if (!output) {
      throw new InputError(
        { file: target },
        `the stack has no ${AUDIT_TABLE.outputKey} output: deploy a version with the audit trail, or pass --table`,
      );
    }
    return output;
  } finally {
    cfn.destroy();
  }
};

/** The audit log the flags point at, with the label naming it in messages; a usage error without a target. */
export const openAuditLog = async (
  command: Command,
  flags: AuditTargetFlags,
): Promise<{ audit: AuditLog; target: string; close: () => void }> => {
  if (flags.table && flags.stack) command.error('error: pass --table or --stack, not both', { exitCode: 2 });
  if (!flags.table && !flags.stack) {
    command.error('error: say where the audit trail is: --table NAME or --stack NAME', { exitCode: 2 });
  }
  const table = flags.table ?? (await tableOfStack(flags.stack!, flags));
  const client = new DynamoDBClient(awsClientConfig(flags));
  return {
    audit: makeDynamoAuditLog(table, makeDocumentClient(client)),
    target: `--table ${table}`,
    close: () => client.destroy(),
  };
};
