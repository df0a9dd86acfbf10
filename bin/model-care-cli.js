#!/usr/bin/env node
// The `model-care` command. Installed from the package it runs the compiled CLI (dist/bin/cli.js) with no
// TypeScript loader; in a clone of the repository, where bin/cli.ts sits beside this file, it runs the sources
// through tsx so `npx model-care` works straight after `npm ci` and never runs a stale build.
import { existsSync } from 'node:fs';

const source = new URL('./cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/bin/cli.js', import.meta.url).href);
}
