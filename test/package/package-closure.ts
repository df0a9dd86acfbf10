import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

/**
 * What an installed package must hold for its public entries to load: every file its `exports` map and `bin`
 * name, every module those import by a relative path (JavaScript and declarations, followed transitively),
 * and the prebundled Lambda asset of every handler HouseFunction deploys.
 */

interface Manifest {
  readonly exports?: Record<string, string | Record<string, string>>;
  readonly bin?: Record<string, string>;
}

// `import ... from './x.js'`, `export ... from './x.js'`, `import './x.js'`, `import('./x.js')` (also in
// declarations, where `import("./x.js").T` names a type)
const RELATIVE_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g;

const relativeSpecifiers = (text: string): string[] =>
  [...text.matchAll(RELATIVE_SPECIFIER)].map((match) => match[2]!);

/** `./x.js` (or `./x.ts`, which tsc keeps in declarations) imported by a declaration file is `./x.d.ts` */
const declarationOf = (file: string): string => file.replace(/\.(?:js|ts)$/, '.d.ts');

/** the files the exports map and bin name, relative to the package root, without `./` */
export const entryFiles = (manifest: Manifest): string[] => {
  const targets = new Set<string>();
  for (const target of Object.values(manifest.exports ?? {})) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) targets.add(file);
  }
  for (const file of Object.values(manifest.bin ?? {})) targets.add(file);
  return [...targets].map((file) => posix.normalize(file)).filter((file) => file !== 'package.json');
};

/**
 * Every file the package needs, each with the file that needs it (the entry itself for an entry), found by
 * following relative imports from the entries. A file that is absent is still listed (it is what is missing)
 * but not followed.
 */
export const requiredFiles = (
  root: string,
  entries: readonly string[],
  bundles: readonly string[],
): Map<string, string> => {
  const needed = new Map<string, string>();
  const queue: string[] = [];
  const need = (file: string, by: string): void => {
    if (needed.has(file)) return;
    needed.set(file, by);
    queue.push(file);
  };
  for (const entry of entries) need(entry, 'package.json');
  for (const bundle of bundles) need(bundle, 'HouseFunction');
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const path = join(root, file);
    if (!existsSync(path) || !/\.(m?js|d\.ts)$/.test(file)) continue;
    const isDeclaration = file.endsWith('.d.ts');
    for (const specifier of relativeSpecifiers(readFileSync(path, 'utf8'))) {
      const target = relative(root, join(dirname(path), specifier))
        .split('\\')
        .join('/');
      need(isDeclaration ? declarationOf(target) : target, file);
    }
  }
  return needed;
};

/** one line per required file the package lacks: `<package> lacks <file> (needed by <file>)` */
export const missingFiles = (
  root: string,
  packageName: string,
  entries: readonly string[],
  bundles: readonly string[],
): string[] =>
  [...requiredFiles(root, entries, bundles)]
    .filter(([file]) => !existsSync(join(root, file)))
    .map(([file, by]) => `${packageName} lacks ${file} (needed by ${by})`);

export const readManifest = (root: string): Manifest =>
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
