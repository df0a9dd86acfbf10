import * as z from 'zod';
import { modelCareConfigSchema } from '../functions/shared/config/model-care-schema.ts';
import { ENVIRONMENT } from '../functions/shared/environment.ts';

/**
 * What `npm run schema` writes, from the one source each: the JSON Schema of a config file and the configuration
 * reference of docs/deploy.md from the zod schema (functions/shared/config/), the table of environment variables
 * from the environment contract (functions/shared/environment.ts). test/shared/generated-docs.test.ts fails
 * when a written file is stale.
 */

export const SCHEMA_FILE = 'config/model-care.schema.json';
export const DEPLOY_DOC = 'docs/deploy.md';

interface JsonSchema {
  readonly type?: string | string[];
  readonly description?: string;
  /** the default in words, where it depends on other fields (zod-primitives.ts `doc`) */
  readonly defaultText?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly [keyword: string]: unknown;
}

const inputSchema = (): JsonSchema => z.toJSONSchema(modelCareConfigSchema, { io: 'input' }) as JsonSchema;

// docs-only annotations stay out of the file editors read
const withoutDocsKeywords = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutDocsKeywords);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'defaultText')
      .map(([key, value]) => [key, withoutDocsKeywords(value)]),
  );
};

/** config/model-care.schema.json: what a config file may hold, with defaults and descriptions */
export const renderConfigSchema = (): string => {
  const { $schema, ...rest } = withoutDocsKeywords(inputSchema()) as Record<string, unknown>;
  const schema = {
    $schema,
    title: 'model-care configuration',
    description: 'The config file of the model-care CDK app (docs/deploy.md, "Configuration reference").',
    ...rest,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
};

interface Row {
  readonly field: string;
  readonly default: string;
  readonly meaning: string;
}

const code = (value: unknown): string => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

const defaultOf = (node: JsonSchema, required: boolean): string => {
  if (node.defaultText !== undefined) return node.defaultText;
  if ('default' in node) {
    const value = node.default;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value) && value.length > 0) return value.map(code).join(', ');
    return code(value);
  }
  return required ? 'required' : 'none';
};

const meaningOf = (node: JsonSchema): string => {
  const values = node.enum ?? node.items?.enum;
  const text = (node.description ?? '').replaceAll('|', '\\|');
  return values ? `${text} (one of ${values.map(code).join(', ')})` : text;
};

// the retraining section gets a table of its own, though it is documented as one field of a model too
const SECTION_ROOTS = new Set(['models[].retraining']);

const collect = (node: JsonSchema, path: string, required: boolean): Row[] => {
  const row = (): Row => ({ field: path, default: defaultOf(node, required), meaning: meaningOf(node) });
  if (node.properties) {
    const own = path !== '' && node.description !== undefined ? [row()] : [];
    if (own.length > 0 && !SECTION_ROOTS.has(path)) return own;
    const children = Object.entries(node.properties)
      .filter(([key]) => key !== '$schema')
      .flatMap(([key, child]) =>
        collect(child, path === '' ? key : `${path}.${key}`, node.required?.includes(key) ?? false),
      );
    return [...own, ...children];
  }
  if (node.items?.properties)
    return [row(), ...collect({ ...node.items, description: undefined }, `${path}[]`, true)];
  return [row()];
};

const table = (rows: readonly Row[], prefix: string): string =>
  [
    '| field | default | meaning |',
    '|---|---|---|',
    ...rows.map((r) => `| \`${r.field.slice(prefix.length)}\` | ${r.default} | ${r.meaning} |`),
  ].join('\n');

/** the configuration reference: one row per field, in three tables */
export const renderConfigReference = (): string => {
  const rows = collect(inputSchema(), '', true);
  const models = 'models[].';
  const retraining = 'models[].retraining.';
  return [
    '### Top level',
    '',
    table(
      rows.filter((r) => !r.field.startsWith(models)),
      '',
    ),
    '',
    '### `models[]`',
    '',
    table(
      rows.filter((r) => r.field.startsWith(models) && !r.field.startsWith(retraining)),
      models,
    ),
    '',
    '### `models[].retraining`',
    '',
    table(
      rows.filter((r) => r.field.startsWith(retraining)),
      retraining,
    ),
  ].join('\n');
};

/** the environment contract as a table */
export const renderEnvironmentTable = (): string =>
  [
    '| variable | set on | meaning |',
    '|---|---|---|',
    ...Object.values(ENVIRONMENT).map(
      (v) => `| \`${v.key}\` | ${v.setOn} | ${v.description.replaceAll('|', '\\|')} |`,
    ),
  ].join('\n');

const begin = (name: string) =>
  `<!-- generated by \`npm run schema\` (${name}): edit the source, not this -->`;
const end = (name: string) => `<!-- end of generated ${name} -->`;

/** replaces the text between the markers of `name` with `content`; fails when the markers are missing */
export const withGenerated = (document: string, name: string, content: string): string => {
  const start = document.indexOf(begin(name));
  const stop = document.indexOf(end(name));
  if (start < 0 || stop < start) throw new Error(`${DEPLOY_DOC} has no markers for the generated ${name}`);
  return `${document.slice(0, start)}${begin(name)}\n${content}\n${document.slice(stop)}`;
};

/** docs/deploy.md with both generated parts brought up to date */
export const renderDeployDoc = (current: string): string =>
  withGenerated(
    withGenerated(current, 'config reference', renderConfigReference()),
    'environment variables',
    renderEnvironmentTable(),
  );
