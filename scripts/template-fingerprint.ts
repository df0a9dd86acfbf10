/**
 * `npm run fingerprint [-- --write <dir>]`: synthesizes the stack of every config in config/ the way `cdk synth`
 * does (cdk.json's feature flags) and prints one sha256 per config over its template, with the Lambda asset
 * hashes (S3 keys, asset paths) normalized. A refactoring must leave every line unchanged; `--write` also saves
 * the normalized templates, to diff when a line moves.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config.ts';
import { ModelCareStack } from '../lib/model-care-stack.ts';

const CONFIG_DIR = 'config';
// an asset's content hash: it follows the handlers' source, which a refactoring may move and edit freely
const ASSET_HASH = /[0-9a-f]{64}/g;

const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context;

const normalizedTemplate = (configFile: string): string => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const config = loadConfig(configFile);
  const stack = new ModelCareStack(app, config.stackName, { config });
  const template = app.synth().getStackByName(stack.stackName).template as unknown;
  return `${JSON.stringify(template, null, 2).replace(ASSET_HASH, '<asset-hash>')}\n`;
};

const writeIndex = process.argv.indexOf('--write');
const writeDir = writeIndex >= 0 ? process.argv[writeIndex + 1] : undefined;
if (writeDir) mkdirSync(writeDir, { recursive: true });

const configs = readdirSync(CONFIG_DIR)
  .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
  .sort();
for (const name of configs) {
  const text = normalizedTemplate(join(CONFIG_DIR, name));
  if (writeDir) writeFileSync(join(writeDir, `${basename(name, '.json')}.template.json`), text);
  console.log(`${createHash('sha256').update(text).digest('hex')}  ${name}`);
}
