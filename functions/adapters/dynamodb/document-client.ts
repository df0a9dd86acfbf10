import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The one place that sets marshalling options, so the cloud, the local twin and the tests store items alike.
 * Optional record fields are left out of the item rather than rejected.
 */
export const makeDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/** built once per cold start; region and credentials come from the Lambda environment */
export const defaultDocumentClient = makeDocumentClient(new DynamoDBClient({}));
