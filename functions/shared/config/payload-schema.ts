import * as z from 'zod';
import { compilePayloadPath, PayloadExpressionError } from '../../engine/readers/payload-mapping.ts';
import { doc } from './zod-primitives.ts';

/**
 * A model's `payload` block: where its features and outputs sit in JSON payloads (named after Model Monitor's
 * `features_attribute` / `inference_attribute`, which an import maps onto them) and which captured records are
 * test or synthetic traffic. An expression that does not parse is refused here, so at synth, on `models put`
 * and by the CLI, naming the field.
 */
const jmesPath = z.string().superRefine((expression, ctx) => {
  try {
    compilePayloadPath(expression, '');
  } catch (error) {
    if (!(error instanceof PayloadExpressionError)) throw error;
    ctx.addIssue({ code: 'custom', message: `is not a JMESPath expression (${error.reason})` });
  }
});

const values = z
  .array(z.string())
  .min(1)
  .meta(doc('the values that leave a record out (numbers and booleans compare as their JSON text)'));

const excludeRule = z.union([
  z.strictObject({
    attribute: z
      .string()
      .min(1)
      .meta(doc("a key of the capture's custom attributes (`CustomAttributes` header, `key=value` pairs)")),
    values,
  }),
  z.strictObject({
    inputPath: jmesPath.meta(doc('JMESPath into the JSON request, e.g. `metadata.source`')),
    values,
  }),
]);

export const payloadSchema = z
  .strictObject({
    inputsPath: jmesPath
      .optional()
      .meta(
        doc(
          "JMESPath to the features in a JSON request (Model Monitor's `features_attribute`), e.g. `body.features` " +
            'or `instances[*].values`; CSV requests ignore it',
          'the built-in shapes: `instances`, `features`, arrays, flat objects',
        ),
      ),
    outputsPath: jmesPath
      .optional()
      .meta(
        doc(
          "JMESPath to the outputs in a JSON response (Model Monitor's `inference_attribute`), e.g. " +
            '`predictions[*].score`; a list of numbers is one row each when the model has one output',
          'the built-in shapes: `predictions`, arrays, flat objects',
        ),
      ),
    exclude: z
      .array(excludeRule)
      .default([])
      .meta(
        doc(
          'records left out of every check (test or synthetic traffic): `{ "attribute", "values" }` by custom ' +
            'attribute or `{ "inputPath", "values" }` by a value of the JSON request',
        ),
      ),
  })
  .meta(doc('where features and outputs sit in JSON payloads, and which records are not real traffic'));
export type PayloadConfig = z.output<typeof payloadSchema>;
