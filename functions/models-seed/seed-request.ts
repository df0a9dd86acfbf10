import * as z from 'zod';

/**
 * The CloudFormation custom resource event of the models seed, as the Provider framework's onEvent receives it.
 * ResourceProperties name the S3 asset that carries the config's models (`{"models": [...]}`), so the template
 * stays small at 1,000 models and a change of the file changes the key (an asset hash), which makes an Update.
 */
const location = z.object({
  ConfigBucket: z.string().min(3),
  ConfigKey: z.string().min(1),
});

export const seedEventSchema = z.object({
  RequestType: z.enum(['Create', 'Update', 'Delete']),
  StackId: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/[^/]+\/.+$/,
      'is not a CloudFormation stack ARN',
    ),
  PhysicalResourceId: z.string().min(1).optional(),
  ResourceProperties: location.loose(),
  OldResourceProperties: location.loose().optional(),
});
export type SeedEvent = z.output<typeof seedEventSchema>;

/** the models file: the config's models, as lib/ writes them into the asset */
export const seedFileSchema = z.object({ models: z.array(z.unknown()) }).loose();

/** the Provider framework's onEvent answer */
export interface SeedResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string | number>;
}

export const stackNameOf = (stackId: string): string => stackId.split('/')[1] ?? stackId;
