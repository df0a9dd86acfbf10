import { LOCAL_PRINCIPAL } from '../function-url-server.ts';

/**
 * Who the local scenario says it is when it calls the capture API, as AWS_IAM auth would report it in
 * `requestContext.authorizer.iam.userArn`. config/local.json names these as the model's producers: traffic
 * comes from the local user, labels from a session of a separate labelling role, so the twin exercises both the
 * exact match and the assumed-role match of functions/shared/producer-access.ts.
 */
export const LOCAL_RECORDS_PRODUCER = LOCAL_PRINCIPAL;
export const LOCAL_LABELS_ROLE = 'arn:aws:iam::000000000000:role/model-care-local-labels';
export const LOCAL_LABELS_PRODUCER =
  'arn:aws:sts::000000000000:assumed-role/model-care-local-labels/scenario';

/** a Function URL request context signed by `principal` */
export const signedBy = (principal: string) => ({
  http: { method: 'POST' },
  authorizer: { iam: { userArn: principal } },
});
