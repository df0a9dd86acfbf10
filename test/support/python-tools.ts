import { spawnSync } from 'node:child_process';

/**
 * The Python tools the suite drives (cfn-lint, moto_server). `.ci/run` installs them on a fresh machine
 * (`pip install "moto[server]" cfn-lint`); here they are found on PATH or as modules of `python3`, and a
 * missing one fails the test with the command that installs it, never skips it.
 */
export interface PythonTool {
  readonly command: string;
  readonly prefixArgs: readonly string[];
}

const onPath = (command: string): boolean =>
  spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;

const asModule = (module: string): boolean =>
  spawnSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/** `cfn-lint` on PATH, else `python3 -m cfnlint`; throws with the install command when neither works */
export const findCfnLint = (): PythonTool => {
  if (onPath('cfn-lint')) return { command: 'cfn-lint', prefixArgs: [] };
  if (asModule('cfnlint')) return { command: 'python3', prefixArgs: ['-m', 'cfnlint'] };
  throw new Error('cfn-lint is not installed: pip install cfn-lint (.ci/run does this)');
};
