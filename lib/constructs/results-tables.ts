import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_VARIABLES } from '../../functions/shared/environment.ts';
import { AUDIT_TABLE, TABLE_KEYS, TABLES, type TableName } from '../../functions/shared/tables.ts';
import type { HouseFunction } from './house-function.ts';
import { acknowledgeWildcards, GRANT_ACTION_WILDCARDS } from './private/nag.ts';

export type TableAccess = 'read' | 'readWrite';

/** the audit trail is append-only: writers may add entries (PutItem) and read the chain's tail (Query), no more */
export type AuditAccess = 'append' | 'read';
const AUDIT_ACTIONS: Record<AuditAccess, string[]> = {
  append: ['dynamodb:PutItem', 'dynamodb:Query'],
  read: ['dynamodb:Query'],
};
// what DynamoDB asks of a caller's key rights for items under a customer managed key (as CDK's data grants)
const AUDIT_KEY_ACTIONS: Record<AuditAccess, string[]> = {
  append: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
  read: ['kms:Decrypt', 'kms:DescribeKey'],
};

export interface ResultsTablesProps {
  /** @default - RETAIN through the caller; results are the system's memory */
  readonly removalPolicy: RemovalPolicy;
  /** encrypts the models table: configs name datasets, endpoints and recipients */
  readonly encryptionKey: kms.IKey;
}

/**
 * The DynamoDB tables of functions/shared/tables.ts: on-demand, point-in-time recovery, TTL where the key design
 * has one. The results tables are encrypted with the AWS-managed DynamoDB key (no key policy to keep in step with
 * every grant); the models table with the stack key, since configs are what the stack is operated by and name
 * its datasets, endpoints and recipients (its grants add the key's use, `grantReadData` does it itself).
 */
export class ResultsTables extends Construct {
  readonly tables: Record<TableName, dynamodb.Table>;
  /** the audit trail (functions/shared/tables.ts AUDIT_TABLE): stack key, PITR, no TTL, append-only grants */
  readonly audit: dynamodb.Table;
  private readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: ResultsTablesProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    const make = (name: TableName, encryptionKey?: kms.IKey): dynamodb.Table =>
      new dynamodb.Table(this, TABLES[name].id, {
        partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        ...(encryptionKey
          ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey }
          : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        timeToLiveAttribute: TABLES[name].ttl ? TABLE_KEYS.ttlAttribute : undefined,
        removalPolicy: props.removalPolicy,
      });
    this.tables = {
      runs: make('runs'),
      metrics: make('metrics'),
      registry: make('registry'),
      state: make('state'),
      models: make('models', props.encryptionKey),
    };
    // who did what to a model is as sensitive as the configs: the stack key; never expires
    this.audit = new dynamodb.Table(this, AUDIT_TABLE.id, {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.removalPolicy,
    });
  }

  /**
   * Sets MODEL_CARE_AUDIT_TABLE and grants the audit access: `append` (PutItem + Query: no update, no delete, so
   * a function cannot rewrite history) or `read` (Query). The key's use comes with it.
   */
  bindAudit(fn: HouseFunction, access: AuditAccess): void {
    fn.addEnvironment({ auditTable: this.audit.tableName });
    this.audit.grant(fn.function, ...AUDIT_ACTIONS[access]);
    this.encryptionKey.grant(fn.function, ...AUDIT_KEY_ACTIONS[access]);
    if (access === 'append') {
      acknowledgeWildcards(
        fn.role,
        GRANT_ACTION_WILDCARDS.kmsEncrypt,
        "The audit table's key (the stack key): DynamoDB needs data keys of it to encrypt an appended entry.",
      );
    }
  }

  /** sets the table's env var and grants access together, so neither exists without the other */
  bind(fn: HouseFunction, name: TableName, access: TableAccess): void {
    const table = this.tables[name];
    fn.addEnvironment({ [TABLE_VARIABLES[name]]: table.tableName });
    if (access === 'read') table.grantReadData(fn.function);
    else table.grantReadWriteData(fn.function);
    if (name === 'models' && access === 'readWrite') {
      acknowledgeWildcards(
        fn.role,
        GRANT_ACTION_WILDCARDS.kmsEncrypt,
        "The models table's key (the stack key): CDK's table grant adds the data-key actions DynamoDB uses to " +
          'encrypt items, on that one key.',
      );
    }
  }
}
