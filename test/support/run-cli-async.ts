import { spawn } from 'node:child_process';
import type { CliResult } from './run-cli.ts';

/**
 * Runs the real `model-care` binary without blocking this process: for CLI tests whose server (a local
 * Function URL) runs in the test process itself, which spawnSync would freeze.
 */
export const runCliAsync = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/model-care-cli.js', ...args], {
      env: { ...process.env, FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
