#!/usr/bin/env node
// The `model-care` command: loads the TypeScript CLI through tsx's loader, so `npx model-care` works
// straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
