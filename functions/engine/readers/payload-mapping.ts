import { compile, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';

/**
 * Where a model's features and outputs sit in its JSON payloads, and which captured records are not real
 * traffic. Plain strings, so it travels in configs and events; `compilePayloadMapping` turns it into the
 * compiled form the capture reader applies.
 */
export interface PayloadMappingSpec {
  /** JMESPath into a JSON request: the features (Model Monitor's `features_attribute`) */
  readonly inputsPath?: string;
  /** JMESPath into a JSON response: the outputs (Model Monitor's `inference_attribute`) */
  readonly outputsPath?: string;
  /** records any rule matches are left out: test or synthetic traffic */
  readonly exclude?: readonly ExcludeRuleSpec[];
}

/** Leaves out a record whose custom attribute, or whose request's value at a path, is one of `values`. */
export type ExcludeRuleSpec =
  | { readonly attribute: string; readonly values: readonly string[] }
  | { readonly inputPath: string; readonly values: readonly string[] };

/** A path expression that does not parse: a config error, naming the setting that holds it. */
export class PayloadExpressionError extends Error {
  override readonly name = 'PayloadExpressionError';
  constructor(
    /** the setting, e.g. `payload.inputsPath` */
    readonly field: string,
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`${field}: ${JSON.stringify(expression)} is not a JMESPath expression (${reason})`);
  }
}

/** A compiled JMESPath expression with the text it came from, for messages. */
export interface PayloadPath {
  readonly expression: string;
  /** the value at the path, or undefined when it matches nothing (JMESPath's null) */
  select(document: unknown): unknown;
}

export interface CompiledExcludeRule {
  readonly attribute?: string;
  readonly inputPath?: PayloadPath;
  readonly values: ReadonlySet<string>;
}

export interface PayloadMapping {
  readonly inputs?: PayloadPath;
  readonly outputs?: PayloadPath;
  readonly exclude: readonly CompiledExcludeRule[];
  /** true when a rule reads the request's JSON */
  readonly readsInput: boolean;
}

// compiled once per distinct expression: every capture object of every window reuses the tree
const compiled = new Map<string, PayloadPath>();
const COMPILED_CAP = 256;

/** Compiles `expression`, or throws PayloadExpressionError naming `field`. */
export const compilePayloadPath = (expression: string, field: string): PayloadPath => {
  const known = compiled.get(expression);
  if (known !== undefined) return known;
  if (expression.trim() === '') throw new PayloadExpressionError(field, expression, 'empty');
  let tree: ReturnType<typeof compile>;
  try {
    tree = compile(expression);
  } catch (error) {
    throw new PayloadExpressionError(
      field,
      expression,
      error instanceof Error ? error.message : String(error),
    );
  }
  const path: PayloadPath = {
    expression,
    select: (document) => {
      const found = TreeInterpreter.search(tree, document as JSONValue);
      return found === null ? undefined : found;
    },
  };
  if (compiled.size >= COMPILED_CAP) compiled.clear();
  compiled.set(expression, path);
  return path;
};

/** The compiled mapping; throws PayloadExpressionError naming the setting (under `prefix`) that does not parse. */
export const compilePayloadMapping = (spec: PayloadMappingSpec, prefix = 'payload'): PayloadMapping => {
  const exclude = (spec.exclude ?? []).map((rule, i): CompiledExcludeRule => {
    const values = new Set(rule.values);
    if ('attribute' in rule) return { attribute: rule.attribute, values };
    return { inputPath: compilePayloadPath(rule.inputPath, `${prefix}.exclude[${i}].inputPath`), values };
  });
  return {
    ...(spec.inputsPath === undefined
      ? {}
      : { inputs: compilePayloadPath(spec.inputsPath, `${prefix}.inputsPath`) }),
    ...(spec.outputsPath === undefined
      ? {}
      : { outputs: compilePayloadPath(spec.outputsPath, `${prefix}.outputsPath`) }),
    exclude,
    readsInput: exclude.some((rule) => rule.inputPath !== undefined),
  };
};

/** True when the spec asks for anything at all (an empty one leaves the reader on its usual path). */
export const isActiveMapping = (spec: PayloadMappingSpec | undefined): spec is PayloadMappingSpec =>
  spec !== undefined &&
  (spec.inputsPath !== undefined || spec.outputsPath !== undefined || (spec.exclude?.length ?? 0) > 0);

/**
 * The custom attributes of a capture record (the `CustomAttributes` header of the request, kept in
 * `eventMetadata.customAttributes`): `key=value` pairs separated by `,` or `;`; a key without `=` has the value ``.
 * The header is opaque to SageMaker, so this is a convention, documented for users; later pairs win.
 */
export const parseCustomAttributes = (text: string): Map<string, string> => {
  const attributes = new Map<string, string>();
  for (const part of text.split(/[,;]/)) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) attributes.set(pair, '');
    else attributes.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return attributes;
};

/** The text a JSON scalar compares as in an exclude rule; objects and arrays never match. */
export const comparableText = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
};

/**
 * True when a rule leaves the record out. `request` is the parsed JSON request, or undefined when the request
 * is not JSON (then path rules do not match); `attributes` its custom attributes.
 */
export const isExcluded = (
  mapping: PayloadMapping,
  attributes: ReadonlyMap<string, string> | undefined,
  request: unknown,
): boolean => {
  for (const rule of mapping.exclude) {
    if (rule.attribute !== undefined) {
      const value = attributes?.get(rule.attribute);
      if (value !== undefined && rule.values.has(value)) return true;
    } else if (rule.inputPath !== undefined && request !== undefined) {
      const value = comparableText(rule.inputPath.select(request));
      if (value !== undefined && rule.values.has(value)) return true;
    }
  }
  return false;
};
