/**
 * The package as a user gets it: `npm run build` and `npm pack`, then the tarball installed into an
 * empty app in a temporary directory. Used by test/package and by the start-up bench.
 *
 * Offline: the tarball is installed with `npm install --offline`, and every package it depends on (its
 * dependencies and its peers aws-cdk-lib and constructs) as a `file:` link to this repository's node_modules,
 * which `npm ci` filled. npm's cache holds those packages' tarballs but not their registry metadata, so a plain
 * `--offline` install of `model-care` alone cannot resolve its dependencies' versions.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../', import.meta.url));

interface PackageManifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly exports?: Record<string, unknown>;
  readonly bin?: Record<string, string>;
}

export interface PackedApp {
  /** the app's directory: package.json, node_modules */
  readonly dir: string;
  /** the installed package: `<dir>/node_modules/model-care` */
  readonly installed: string;
  readonly tarball: string;
  /** every file the tarball holds, relative to the package root */
  readonly packedFiles: readonly string[];
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });

/** `npm run build`, then `npm pack` of the repository into `dest` (what prepack does, with quiet output) */
export const packTarball = (dest: string): { tarball: string; files: string[] } => {
  npm(['run', 'build', '--silent'], REPOSITORY);
  const packing = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dest], REPOSITORY);
  const [packed] = JSON.parse(packing) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!packed) throw new Error('npm pack reported no tarball');
  return { tarball: join(dest, packed.filename), files: packed.files.map((f) => f.path).sort() };
};

/** Installs the tarball into a new empty app (no network: see the module comment). */
export const installTarball = (tarball: string, packedFiles: readonly string[]): PackedApp => {
  const dir = mkdtempSync(join(tmpdir(), 'model-care-consumer-'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'consumer', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  const manifest = JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as PackageManifest;
  const links = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).map(
    (name) => `file:${join(REPOSITORY, 'node_modules', name)}`,
  );
  npm(['install', '--offline', '--no-audit', '--ignore-scripts', tarball, ...links], dir);
  return { dir, installed: join(dir, 'node_modules', manifest.name), tarball, packedFiles };
};

/** pack and install in one go, into a fresh temporary directory */
export const packAndInstall = (): PackedApp => {
  const dest = mkdtempSync(join(tmpdir(), 'model-care-pack-'));
  mkdirSync(dest, { recursive: true });
  const { tarball, files } = packTarball(dest);
  return installTarball(tarball, files);
};
