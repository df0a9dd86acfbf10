import { type Command, Option } from 'commander';
import type { TableFormat, TableSchema } from '../functions/engine/readers/table.ts';
import type { InputOptions } from './read-input.ts';

export interface InputFlags {
  format: TableFormat | 'auto';
  header?: boolean;
  names?: string;
  exclude?: string;
  quiet?: boolean;
}

/** The options every command that reads data shares. */
export const addInputOptions = (command: Command): Command =>
  command
    .addOption(
      new Option('--format <format>', 'input format')
        .choices(['auto', 'csv', 'jsonl', 'capture'])
        .default('auto'),
    )
    .option('--header', 'the CSV input has a header row (default: detected)')
    .option('--no-header', 'the CSV input has no header row')
    .option(
      '--names <list>',
      'comma-separated names for unnamed columns (headerless CSV, JSON arrays, capture input)',
    )
    .option('--exclude <list>', 'comma-separated columns to leave out (ids, timestamps)')
    .option('-q, --quiet', 'no progress bar');

const list = (text: string | undefined): string[] | undefined =>
  text
    ?.split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);

/** the columns `--exclude` names */
export const excludedColumns = (flags: InputFlags): string[] => list(flags.exclude) ?? [];

export const inputOptionsOf = (flags: InputFlags, defaultSchema?: TableSchema): InputOptions => {
  const names = list(flags.names);
  return {
    format: flags.format,
    header: flags.header ?? 'auto',
    schema: names ? { inputNames: names } : defaultSchema,
    quiet: flags.quiet ?? false,
  };
};
