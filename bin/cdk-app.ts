import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../lib/config.ts';
import { ModelCareStack } from '../lib/model-care-stack.ts';

// The CDK app: `npx cdk synth` / `npx cdk deploy [-c configFile=config/three-models.json]`.
const app = new App();
const configFile: string = app.node.tryGetContext('configFile') ?? DEFAULT_CONFIG_FILE;

try {
  const config = loadConfig(configFile);
  new ModelCareStack(app, config.stackName, {
    config,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // a config mistake is the user's to fix: one line, no stack trace
  console.error(error.message);
  process.exitCode = 1;
}
