import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { validateModelConfig } from '../functions/admin-api/model-rules.ts';
import { ConfigError } from '../functions/shared/config/config-error.ts';
import { type AdminClient, type AdminResponse, AdminUsageError, makeAdminClient } from './admin-client.ts';
import { resolveAdminUrl, type TargetFlags } from './admin-target.ts';
import { renderChange, renderHistory, renderList, renderModel } from './models-output.ts';

/**
 * `model-care models put|get|list|remove|history`: models as data, against a deployed stack's admin API
 * (`--stack` or `--url`) or the local twin's (`--url http://127.0.0.1:<port>`). Bad input, a stale version, an
 * unknown or removed model: exit 2 with one line; nothing is changed.
 */

interface OutputFlags extends TargetFlags {
  json?: boolean;
}

const version = (value: string): number => {
  if (!/^[1-9]\d{0,9}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a version number`);
  return Number(value);
};

const withTarget = (command: Command): Command =>
  command
    .option('--url <url>', "the admin API's Function URL (the local twin's: http://127.0.0.1:<port>)")
    .option('--stack <name>', 'a deployed stack: its AdminApiUrl output')
    .option('--region <region>', 'for --stack, and to sign for a URL that does not name its region')
    .option('--json', 'print the JSON answer instead of a table');

const connect = async (flags: TargetFlags): Promise<AdminClient> =>
  makeAdminClient(await resolveAdminUrl(flags), flags.region ?? process.env.AWS_REGION);

/** the one line for an answer that is not a success */
const failure = (response: AdminResponse, expected?: number): Error => {
  const message = typeof response.body.error === 'string' ? response.body.error : `HTTP ${response.status}`;
  switch (response.status) {
    case 409: {
      const model = /^model (\S+)/.exec(message)?.[1] ?? 'the model';
      const current = String(response.body.currentVersion);
      if (expected === undefined) {
        return new AdminUsageError(
          `model ${model} already exists at version ${current}: pass --expect-version ${current} to change it`,
        );
      }
      return new AdminUsageError(
        `model ${model} changed since version ${expected} (now ${current}): get it again`,
      );
    }
    case 400:
    case 404:
    case 410:
    case 413:
    case 428:
      return new AdminUsageError(message);
    case 401:
    case 403:
      return new AdminUsageError(
        `not allowed: ${message} (check the credentials and their lambda:InvokeFunctionUrl and lambda:InvokeFunction permissions)`,
      );
    default:
      return new Error(`the admin API answered ${response.status}: ${message}`);
  }
};

const print = (flags: OutputFlags, body: unknown, table: () => string): void => {
  process.stdout.write(`${flags.json ? JSON.stringify(body, null, 2) : table()}\n`);
};

/** reads and checks the file first: a config that would be refused is never sent */
const readConfig = async (file: string): Promise<{ name: string; text: string }> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AdminUsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new AdminUsageError(
      `${file}: is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  try {
    const config = validateModelConfig(input, file);
    return { name: config.name, text: JSON.stringify(input) };
  } catch (error) {
    if (error instanceof ConfigError) throw new AdminUsageError(error.message);
    throw error;
  }
};

export const registerModelsCommand = (program: Command): void => {
  const models = program
    .command('models')
    .description(
      'Models as data: put, get, list, remove and the history of model configs in a deployed stack',
    );

  withTarget(models.command('put'))
    .description('store a model config (create it, or change it with --expect-version)')
    .requiredOption('--file <file>', 'the model config (JSON, one model)')
    .option('--expect-version <n>', 'the version you read; without it the model must be new', version)
    .option('--recreate', 'reuse the name of a removed model')
    .option('--reason <text>', 'why, kept in the history')
    .action(
      async (
        flags: OutputFlags & { file: string; expectVersion?: number; recreate?: boolean; reason?: string },
      ) => {
        const config = await readConfig(flags.file);
        const client = await connect(flags);
        const response = await client.request('PUT', `/models/${encodeURIComponent(config.name)}`, {
          body: config.text,
          headers: flags.expectVersion === undefined ? {} : { 'if-match': String(flags.expectVersion) },
          query: {
            ...(flags.recreate ? { recreate: 'true' } : {}),
            ...(flags.reason ? { reason: flags.reason } : {}),
          },
        });
        if (response.status !== 200 && response.status !== 201) throw failure(response, flags.expectVersion);
        print(flags, response.body, () => renderChange(response.body));
      },
    );

  withTarget(models.command('get'))
    .description("show a model's current version, or the one given")
    .argument('<name>', 'the model')
    .option('--version <n>', 'an earlier version', version)
    .option('--config', 'print only the config JSON (to edit and put again)')
    .action(async (name: string, flags: OutputFlags & { version?: number; config?: boolean }) => {
      const client = await connect(flags);
      const response = await client.request('GET', `/models/${encodeURIComponent(name)}`, {
        query: flags.version === undefined ? {} : { version: String(flags.version) },
      });
      if (response.status !== 200) throw failure(response);
      if (flags.config) process.stdout.write(`${JSON.stringify(response.body.config, null, 2)}\n`);
      else print(flags, response.body, () => renderModel(response.body));
    });

  withTarget(models.command('list'))
    .description('list the models')
    .option('--all', 'removed models too')
    .action(async (flags: OutputFlags & { all?: boolean }) => {
      const client = await connect(flags);
      const response = await client.request('GET', '/models', { query: flags.all ? { all: 'true' } : {} });
      if (response.status !== 200) throw failure(response);
      print(flags, response.body, () =>
        renderList((response.body.models ?? []) as Record<string, unknown>[]),
      );
    });

  withTarget(models.command('remove'))
    .description('remove a model (its history and reports stay; the name is reused only with put --recreate)')
    .argument('<name>', 'the model')
    .requiredOption('--expect-version <n>', 'the version you mean to remove', version)
    .option('--reason <text>', 'why, kept in the history')
    .action(async (name: string, flags: OutputFlags & { expectVersion: number; reason?: string }) => {
      const client = await connect(flags);
      const response = await client.request('DELETE', `/models/${encodeURIComponent(name)}`, {
        headers: { 'if-match': String(flags.expectVersion) },
        query: flags.reason ? { reason: flags.reason } : {},
      });
      if (response.status !== 200) throw failure(response, flags.expectVersion);
      print(flags, response.body, () => renderChange(response.body));
    });

  withTarget(models.command('history'))
    .description('every version of a model: who, when, why, what changed')
    .argument('<name>', 'the model')
    .action(async (name: string, flags: OutputFlags) => {
      const client = await connect(flags);
      const response = await client.request('GET', `/models/${encodeURIComponent(name)}/history`);
      if (response.status !== 200) throw failure(response);
      print(flags, response.body, () =>
        renderHistory((response.body.history ?? []) as Record<string, unknown>[]),
      );
    });
};
