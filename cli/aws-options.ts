import type { Command } from 'commander';
import { InputError } from '../functions/engine/errors.ts';

/** How a command reaches AWS: the default credential chain, with these overrides. */
export interface AwsFlags {
  region?: string;
  endpointUrl?: string;
}

/** `--region` and `--endpoint-url` (a local twin's emulator, moto, a VPC endpoint), as the AWS CLI spells them. */
export const addAwsOptions = (command: Command): Command =>
  command
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile, as the AWS CLI)')
    .option(
      '--endpoint-url <url>',
      "send AWS requests here instead: a local twin's emulator (http://127.0.0.1:PORT), moto",
    );

/** client settings shared by every SDK client the CLI builds; credentials come from the default chain */
export const awsClientConfig = (flags: AwsFlags): { region?: string; endpoint?: string } => ({
  ...(flags.region ? { region: flags.region } : {}),
  ...(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {}),
});

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

const codeOf = (error: Error): string | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * The AWS failures a user fixes on their side (credentials, region, permissions, a wrong name, an unreachable
 * endpoint) as one-line InputErrors naming `target` (what was asked for: `--table x`, `s3://b/k`); anything else
 * is returned as it is, to surface as an internal error.
 */
export const userFacingAwsError = (error: unknown, target: string): unknown => {
  if (!(error instanceof Error)) return error;
  const at = { file: target };
  const name = error.name;
  const code = codeOf(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    return new InputError(at, 'no AWS credentials found (environment, profile, SSO or instance role)');
  }
  if (/Region is missing/i.test(error.message)) {
    return new InputError(at, 'no AWS region: pass --region or set AWS_REGION');
  }
  if (
    name === 'AccessDeniedException' ||
    name === 'AccessDenied' ||
    name === 'UnrecognizedClientException' ||
    name === 'InvalidClientTokenId' ||
    name === 'ExpiredTokenException' ||
    name === 'ExpiredToken' ||
    name === 'InvalidAccessKeyId' ||
    name === 'SignatureDoesNotMatch' ||
    name === 'Forbidden'
  ) {
    return new InputError(at, `refused by AWS (${name}): check the credentials and their permissions`);
  }
  if (name === 'ResourceNotFoundException')
    return new InputError(at, 'not found (check the name and the region)');
  if (name === 'NoSuchBucket') return new InputError(at, 'no such bucket');
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed') {
    return new InputError(at, 'the bucket is in another region: pass --region');
  }
  const cause = (error as { cause?: unknown }).cause;
  const network = code ?? (cause instanceof Error ? codeOf(cause) : undefined);
  if (network !== undefined && NETWORK_CODES.has(network)) {
    return new InputError(at, `cannot reach the AWS endpoint (${network})`);
  }
  return error;
};

/** Runs an AWS call, turning the failures a user can fix into one-line InputErrors. */
export const withAwsErrors = async <T>(target: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw userFacingAwsError(error, target);
  }
};
