import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import as written in a module: who imports what, on which line. */
export interface ModuleImport {
  /** the importing module, relative to the root (`functions/data-job/data-job.ts`) */
  readonly from: string;
  readonly line: number;
  readonly specifier: string;
  /** the imported module relative to the root, or the package name (`@aws-sdk/client-s3`, `node:fs`) */
  readonly to: string;
  /** a package (or a Node.js built-in) rather than a module of the tree */
  readonly external: boolean;
}

// the options that matter for resolution, as tsconfig.json sets them
const RESOLUTION: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
};

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; `node:fs` stays */
const packageName = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
};

const lineAt = (text: string, position: number): number => {
  let line = 1;
  for (let i = 0; i < position; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/**
 * Every import of every source module below `dirs` (static, `export ... from`, type-only and dynamic), with
 * relative specifiers resolved the way TypeScript resolves them for this project.
 */
export const moduleImports = (root: string, dirs: readonly string[]): ModuleImport[] => {
  const absoluteRoot = resolve(root);
  const imports: ModuleImport[] = [];
  for (const dir of dirs) {
    const start = join(absoluteRoot, dir);
    const files = statSync(start, { throwIfNoEntry: false })?.isDirectory() ? sourceFiles(start) : [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const from = relative(absoluteRoot, file);
      for (const reference of ts.preProcessFile(text, true, true).importedFiles) {
        const specifier = reference.fileName;
        const line = lineAt(text, reference.pos);
        if (!specifier.startsWith('.')) {
          imports.push({ from, line, specifier, to: packageName(specifier), external: true });
          continue;
        }
        const resolved = ts.resolveModuleName(specifier, file, RESOLUTION, ts.sys).resolvedModule;
        const target = resolved ? resolved.resolvedFileName : resolve(file, '..', specifier);
        imports.push({ from, line, specifier, to: relative(absoluteRoot, target), external: false });
      }
    }
  }
  return imports;
};

/**
 * The import cycles among the tree's modules, one per strongly connected component (Tarjan), each as the
 * imports that close it: `a.ts:3 imports b.ts`, `b.ts:7 imports a.ts`.
 */
export const importCycles = (imports: readonly ModuleImport[]): ModuleImport[][] => {
  const edges = new Map<string, ModuleImport[]>();
  for (const edge of imports) {
    if (edge.external) continue;
    edges.set(edge.from, [...(edges.get(edge.from) ?? []), edge]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const { to } of edges.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfImport = (edges.get(node) ?? []).some((edge) => edge.to === node);
      if (component.length > 1 || selfImport) components.push(component);
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) connect(node);

  // one cycle per component: a shortest path back to its first module (breadth first, inside the component)
  return components.map((component) => {
    const members = new Set(component);
    const first = [...component].sort()[0]!;
    const via = new Map<string, ModuleImport>();
    const queue = [first];
    while (queue.length > 0) {
      const node = queue.shift()!;
      for (const edge of edges.get(node) ?? []) {
        if (!members.has(edge.to)) continue;
        if (edge.to === first) {
          const cycle = [edge];
          for (let at = node; at !== first; at = via.get(at)!.from) cycle.unshift(via.get(at)!);
          return cycle;
        }
        if (!via.has(edge.to)) {
          via.set(edge.to, edge);
          queue.push(edge.to);
        }
      }
    }
    return [];
  });
};
