import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Secret values (paging keys) by name or ARN. Never log what it returns. */
export interface SecretReader {
  read(secretId: string): Promise<string>;
}

/** The secret has no text value (a binary secret, or an empty one). */
export class UnusableSecretError extends Error {
  override readonly name = 'UnusableSecretError';
}

const defaultClient = new SecretsManagerClient({});

/**
 * Secrets Manager, cached per container for `ttlMs`: a page must not wait on a read each time, and a rotated
 * key is picked up within minutes.
 */
export const makeSecretsManagerReader = (
  client: SecretsManagerClient = defaultClient,
  options: { readonly ttlMs?: number; readonly now?: () => number } = {},
): SecretReader => {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: string; until: number }>();
  return {
    async read(secretId) {
      const cached = cache.get(secretId);
      if (cached && cached.until > now()) return cached.value;
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      const value = SecretString?.trim();
      if (!value) throw new UnusableSecretError(`secret ${secretId} has no text value`);
      cache.set(secretId, { value, until: now() + ttlMs });
      return value;
    },
  };
};
