import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Severity } from '../../../functions/shared/config/vocabulary.ts';
import { MESSAGE_ATTRIBUTES, type MessageKind } from '../../../functions/shared/events.ts';

/** the SNS message attributes of what a retraining workflow publishes: per-model subscribers filter on them */
export const messageAttributes = (
  severity: Severity,
  kind: MessageKind,
): Record<string, tasks.MessageAttribute> => ({
  [MESSAGE_ATTRIBUTES.model]: { value: sfn.JsonPath.stringAt('$.model.name') },
  [MESSAGE_ATTRIBUTES.severity]: { value: severity },
  [MESSAGE_ATTRIBUTES.kind]: { value: kind },
});
