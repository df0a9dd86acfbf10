import type { Command } from 'commander';
import type { BaselineFlags } from './baseline-action.ts';
import { addInputOptions } from './input-flags.ts';

export const registerBaselineCommand = (program: Command): void => {
  const command = program
    .command('baseline')
    .description(
      'profile a training dataset and write Model Monitor-compatible statistics.json and constraints.json',
    )
    .requiredOption(
      '-i, --input <path>',
      'CSV, JSON Lines or SageMaker capture file (.gz ok), or a directory of them',
    )
    .requiredOption('-o, --out <dir>', 'directory to write statistics.json and constraints.json into');
  // the engine loads only when the command runs, so `--help` and a usage error stay instant
  addInputOptions(command).action(async (flags: BaselineFlags) => {
    const { runBaseline } = await import('./baseline-action.ts');
    await runBaseline(flags);
  });
};
