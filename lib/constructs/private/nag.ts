import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Exact cdk-nag finding ids, computed the way cdk-nag renders them (`Ref`/`Fn::GetAtt` as `<Id>`/`<Id.Attr>`,
 * `Fn::Join` flattened), so that an acknowledgement names one resource and never a pattern.
 */
const flatten = (node: unknown): string => {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (node !== null && typeof node === 'object') {
    const value = node as Record<string, unknown>;
    const join = value['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map(flatten).join(join[0]);
    if ('Fn::Sub' in value) return flatten(value['Fn::Sub']);
    const getAtt = value['Fn::GetAtt'] as [unknown, unknown] | undefined;
    if (getAtt) return `<${flatten(getAtt[0])}.${flatten(getAtt[1])}>`;
    if ('Fn::ImportValue' in value) return flatten(value['Fn::ImportValue']);
    if ('Ref' in value) return `<${flatten(value.Ref)}>`;
  }
  return JSON.stringify(node);
};

/** how cdk-nag prints a (possibly tokenized) ARN in IAM5 findings */
export const nagArn = (scope: IConstruct, arn: string): string => flatten(Stack.of(scope).resolve(arn));

/** acknowledges IAM5 findings (`Action::x` or `Resource::y`) on a construct and everything below it */
export const acknowledgeWildcards = (
  scope: IConstruct,
  findings: readonly string[],
  reason: string,
): void => {
  for (const finding of findings)
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
};

/** the wildcard action groups of CDK's grant methods, the same for every grantee */
export const GRANT_ACTION_WILDCARDS = {
  s3Read: ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*'],
  s3Put: ['Action::s3:Abort*'],
  s3Delete: ['Action::s3:DeleteObject*'],
  kmsEncrypt: ['Action::kms:ReEncrypt*', 'Action::kms:GenerateDataKey*'],
} as const;
