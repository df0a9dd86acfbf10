import { spawn } from 'node:child_process';
import type { CliResult } from './run-cli.ts';

/**
 * Runs the real `model-care` binary without blocking this process: needed when the CLI talks to an emulator
 * (dynalite, s3rver) served by the test process itself, which a synchronous spawn would starve.
 */
export const runCliAsync = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/model-care-cli.js', ...args], {
      env: { ...process.env, FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
