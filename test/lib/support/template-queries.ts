import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { CfnTemplate } from '../../../local/step-functions/resolve-state-machine.ts';
import { resolveIntrinsics } from '../../../local/step-functions/resolve-state-machine.ts';

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
  readonly Condition?: unknown;
}

/** the logical id of a construct's CloudFormation resource (its default child, or itself) */
export const logicalIdOf = (construct: IConstruct): string => {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
};

/** every statement of the policies attached to a role, with intrinsics resolved to the resolver's stand-ins */
export const statementsOf = (template: CfnTemplate, role: IConstruct): Statement[] => {
  const roleId = logicalIdOf(role);
  return Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((resource) =>
      ((resource.Properties?.Roles as unknown[]) ?? []).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId }),
      ),
    )
    .flatMap((resource) => {
      const document = resolveIntrinsics(resource.Properties?.PolicyDocument, template) as {
        Statement: Statement[];
      };
      return document.Statement;
    });
};

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);

/** whether some Allow statement grants the action on the resource (exact strings, as resolved) */
export const allows = (statements: readonly Statement[], action: string, resource: string): boolean =>
  statements.some(
    (s) => s.Effect === 'Allow' && asList(s.Action).includes(action) && asList(s.Resource).includes(resource),
  );

/** all actions granted on a resource */
export const actionsOn = (statements: readonly Statement[], resource: string): string[] =>
  statements
    .filter((s) => s.Effect === 'Allow' && asList(s.Resource).includes(resource))
    .flatMap((s) => asList(s.Action));

/** all resources named by any statement */
export const resourcesOf = (statements: readonly Statement[]): string[] =>
  statements.flatMap((s) => asList(s.Resource));

/** an IAM pattern (`*` any run, `?` one character) as a regular expression */
const iamPattern = (pattern: string, flags = ''): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    flags,
  );

/**
 * Whether any Allow statement grants `action` on the concrete `resource` as IAM evaluates it: wildcards in the
 * statement's actions and resources match, actions case-insensitively. `allows` above compares literally.
 */
export const grants = (statements: readonly Statement[], action: string, resource: string): boolean =>
  statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      asList(s.Action).some((a) => iamPattern(String(a), 'i').test(action)) &&
      asList(s.Resource).some((r) => typeof r === 'string' && iamPattern(r).test(resource)),
  );
