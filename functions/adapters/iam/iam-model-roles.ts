import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  type Role,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { ModelConfig } from '../../shared/config/model-schema.ts';
import type { ModelRoleSettings } from '../../shared/model-role-settings.ts';
import { MODEL_TAG_KEY, modelRoleNames } from '../../shared/model-roles.ts';
import { ModelRoleConflictError, type ModelRoles } from '../model-roles.ts';
import {
  accessPolicy,
  accessTrustPolicy,
  type PolicyDocument,
  trainingPolicy,
  trainingTrustPolicy,
} from './model-role-policies.ts';

const defaultIam = new IAMClient({});

/** the inline policy each role carries, replaced whole at every put */
export const INLINE_POLICY_NAME = 'model-care-model';

const isNoSuchEntity = (error: unknown): boolean =>
  error instanceof Error && error.name === 'NoSuchEntityException';
const isAlreadyExists = (error: unknown): boolean =>
  error instanceof Error && error.name === 'EntityAlreadyExistsException';

/**
 * ModelRoles on IAM. Every step is idempotent (a retried put or removal converges): roles are created when
 * missing, else their trust policy, boundary, tag, inline policy and attachments are set again. A role of the
 * same name that is not under the stack's path with the model's tag is someone else's and is never changed.
 */
export const makeIamModelRoles = (settings: ModelRoleSettings, iam: IAMClient = defaultIam): ModelRoles => {
  const tags = (model: string) => [{ Key: MODEL_TAG_KEY, Value: model }];

  const getRole = async (roleName: string): Promise<Role | undefined> => {
    try {
      return (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
    } catch (error) {
      if (isNoSuchEntity(error)) return undefined;
      throw error;
    }
  };

  const assertOurs = (role: Role, model: string, path: string): void => {
    if (role.Path !== path)
      throw new ModelRoleConflictError(role.RoleName ?? '', `its path is ${role.Path}, not ${path}`);
    const tag = role.Tags?.find((t) => t.Key === MODEL_TAG_KEY)?.Value;
    if (tag !== model) {
      throw new ModelRoleConflictError(
        role.RoleName ?? '',
        `its ${MODEL_TAG_KEY} tag is ${tag ?? 'missing'}, not ${model}`,
      );
    }
  };

  const ensureRole = async (
    model: string,
    roleName: string,
    path: string,
    trust: PolicyDocument,
    inline: PolicyDocument,
    managed: readonly string[],
    description: string,
  ): Promise<string> => {
    let role = await getRole(roleName);
    if (!role) {
      try {
        role = (
          await iam.send(
            new CreateRoleCommand({
              RoleName: roleName,
              Path: path,
              AssumeRolePolicyDocument: JSON.stringify(trust),
              PermissionsBoundary: settings.permissionsBoundaryArn,
              Tags: tags(model),
              Description: description,
              MaxSessionDuration: 3600,
            }),
          )
        ).Role;
      } catch (error) {
        // a concurrent put of the same model created it first: carry on as for an existing role
        if (!isAlreadyExists(error)) throw error;
        role = await getRole(roleName);
      }
    }
    if (!role?.Arn) throw new Error(`role ${roleName} has no ARN after creation`);
    assertOurs(role, model, path);
    if (role.PermissionsBoundary?.PermissionsBoundaryArn !== settings.permissionsBoundaryArn) {
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: roleName,
          PermissionsBoundary: settings.permissionsBoundaryArn,
        }),
      );
    }
    // the trust changes when the stack's job roles do; setting it again is cheaper than comparing IAM's encoding
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(trust) }),
    );
    await iam.send(new TagRoleCommand({ RoleName: roleName, Tags: tags(model) }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: INLINE_POLICY_NAME,
        PolicyDocument: JSON.stringify(inline),
      }),
    );
    const attached = await attachedPolicies(roleName);
    for (const arn of managed) {
      if (!attached.includes(arn))
        await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
    }
    for (const arn of attached) {
      if (!managed.includes(arn))
        await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
    }
    return role.Arn;
  };

  const attachedPolicies = async (roleName: string): Promise<string[]> => {
    const arns: string[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
      );
      for (const policy of page.AttachedPolicies ?? []) if (policy.PolicyArn) arns.push(policy.PolicyArn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return arns;
  };

  const inlinePolicies = async (roleName: string): Promise<string[]> => {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
      names.push(...(page.PolicyNames ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return names;
  };

  /** IAM deletes a role only without policies; a step that finds its target gone is already done */
  const deleteRole = async (model: string, roleName: string, path: string): Promise<void> => {
    const role = await getRole(roleName);
    if (!role) return;
    assertOurs(role, model, path);
    try {
      for (const name of await inlinePolicies(roleName)) {
        await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      }
      for (const arn of await attachedPolicies(roleName)) {
        await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
      }
      await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
    } catch (error) {
      if (!isNoSuchEntity(error)) throw error;
    }
  };

  return {
    async ensure(model: ModelConfig) {
      const names = modelRoleNames(settings, model.name);
      // the training role first: the access policy may pass it to SageMaker
      let trainingRoleArn: string | undefined;
      if (model.retraining) {
        trainingRoleArn = await ensureRole(
          model.name,
          names.training,
          names.path,
          trainingTrustPolicy(settings),
          trainingPolicy({ ...model, retraining: model.retraining }, settings),
          settings.trainingPolicyArns,
          `model-care ${settings.stackName}: SageMaker training, transform and hosting of ${model.name}`,
        );
      } else {
        await deleteRole(model.name, names.training, names.path);
      }
      const accessRoleArn = await ensureRole(
        model.name,
        names.access,
        names.path,
        accessTrustPolicy(settings),
        accessPolicy(model, settings),
        settings.accessPolicyArns,
        `model-care ${settings.stackName}: the data, endpoint and SageMaker resources of ${model.name}`,
      );
      return { accessRoleArn, ...(trainingRoleArn ? { trainingRoleArn } : {}) };
    },

    async remove(model) {
      const names = modelRoleNames(settings, model);
      await deleteRole(model, names.access, names.path);
      await deleteRole(model, names.training, names.path);
    },
  };
};
