/**
 * `npm run schema`: writes config/model-care.schema.json and the generated parts of docs/deploy.md (the
 * configuration reference and the environment variables) from their sources; see config-docs.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DEPLOY_DOC, renderConfigSchema, renderDeployDoc, SCHEMA_FILE } from './config-docs.ts';

writeFileSync(SCHEMA_FILE, renderConfigSchema());
writeFileSync(DEPLOY_DOC, renderDeployDoc(readFileSync(DEPLOY_DOC, 'utf8')));
console.log(`wrote ${SCHEMA_FILE} and the generated parts of ${DEPLOY_DOC}`);
