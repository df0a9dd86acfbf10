import type { ModuleImport } from './module-graph.ts';

/**
 * A layer rule: the modules below `modules` may import, from the tree, only what is below `mayImport`, and no
 * package that `forbiddenPackages` names (a prefix of the package name).
 */
export interface LayerRule {
  readonly name: string;
  /** folders (from the repository root, ending in `/`) whose modules the rule governs */
  readonly modules: readonly string[];
  /** the folders of the tree they may import from; @default - any */
  readonly mayImport?: readonly string[];
  /** folders of the tree they must not import from */
  readonly mayNotImport?: readonly string[];
  /** package name prefixes they must not import */
  readonly forbiddenPackages?: readonly string[];
}

/** the AWS SDK, Powertools, CDK and the emulators: nothing the pure layers may touch */
const AWS_PACKAGES = [
  '@aws-sdk/',
  '@smithy/',
  '@aws-lambda-powertools/',
  'aws-cdk-lib',
  'constructs',
  'cdk-nag',
  'aws-lambda',
  '@types/aws-lambda',
  'aws-local-stepfunctions',
  's3rver',
  'dynalite',
];

/** The layers of ARCHITECTURE.md, lowest first. */
export const LAYER_RULES: readonly LayerRule[] = [
  {
    name: 'the engine is pure: it imports only the engine, and no AWS package',
    modules: ['functions/engine/'],
    mayImport: ['functions/engine/'],
    forbiddenPackages: AWS_PACKAGES,
  },
  {
    name: 'functions/shared holds the contracts lib/ shares with the handlers: it imports only itself and the engine',
    modules: ['functions/shared/'],
    mayImport: ['functions/shared/', 'functions/engine/'],
    forbiddenPackages: AWS_PACKAGES,
  },
  {
    name: 'adapters import only adapters, the engine and functions/shared',
    modules: ['functions/adapters/'],
    mayImport: ['functions/adapters/', 'functions/engine/', 'functions/shared/'],
  },
  {
    name: 'the handler kit imports only adapters, the engine and functions/shared',
    modules: ['functions/handler-kit/'],
    mayImport: ['functions/handler-kit/', 'functions/adapters/', 'functions/engine/', 'functions/shared/'],
  },
  {
    name: 'nothing under functions/ imports an entry point, the CLI, the local twin or the constructs',
    modules: ['functions/'],
    mayNotImport: ['bin/', 'cli/', 'local/', 'lib/', 'scripts/', 'bench/', 'test/'],
  },
  {
    name: 'lib/ imports only lib/ and functions/shared',
    modules: ['lib/'],
    mayImport: ['lib/', 'functions/shared/'],
  },
];

const under = (path: string, folders: readonly string[]): boolean =>
  folders.some((folder) => path.startsWith(folder));

const breaks = (rule: LayerRule, edge: ModuleImport): boolean => {
  if (!under(edge.from, rule.modules)) return false;
  if (edge.external) return (rule.forbiddenPackages ?? []).some((prefix) => edge.to.startsWith(prefix));
  if (rule.mayImport && !under(edge.to, rule.mayImport)) return true;
  return under(edge.to, rule.mayNotImport ?? []);
};

/** one line per import that breaks a rule: `<module>:<line> imports <target> (<rule>)` */
export const layerViolations = (
  imports: readonly ModuleImport[],
  rules: readonly LayerRule[] = LAYER_RULES,
): string[] =>
  imports.flatMap((edge) =>
    rules
      .filter((rule) => breaks(rule, edge))
      .map((rule) => `${edge.from}:${edge.line} imports ${edge.to} (${rule.name})`),
  );

/** a cycle as one line: `a.ts:3 -> b.ts:7 -> a.ts` */
export const describeCycle = (cycle: readonly ModuleImport[]): string =>
  `${cycle.map((edge) => `${edge.from}:${edge.line}`).join(' -> ')} -> ${cycle[0]?.from ?? ''}`;
