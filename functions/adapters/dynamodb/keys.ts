import { InvalidKeyPartError } from '../errors.ts';
import { assertName, canonicalInstant, escapeKeyText } from '../key-parts.ts';

/**
 * Item keys, exactly as functions/shared/tables.ts documents them. Deterministic: the same model, job and
 * window always give the same key, which is what makes re-runs overwrite instead of duplicate.
 */

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const runPartition = (model: string, job: string): string =>
  `MODEL#${assertName('model', model)}#JOB#${assertName('job', job)}`;

export const runKey = (model: string, job: string, windowStart: string | Date): ItemKey => ({
  pk: runPartition(model, job),
  sk: canonicalInstant('windowStart', windowStart),
});

export const metricPartition = (model: string, feature: string, metric: string): string =>
  `MODEL#${assertName('model', model)}#FEATURE#${escapeKeyText('feature', feature)}#METRIC#${escapeKeyText('metric', metric)}`;

export const registryPartition = (model: string): string => `MODEL#${assertName('model', model)}`;

export const VERSION_PREFIX = 'VERSION#';
export const CHAMPION_SK = 'CHAMPION';
const VERSION_DIGITS = 10;

/** zero-padded so that versions sort numerically as strings: VERSION#0000000009 < VERSION#0000000010 */
export const versionSort = (version: number): string => {
  if (!Number.isSafeInteger(version) || version < 1 || version >= 10 ** VERSION_DIGITS) {
    throw new InvalidKeyPartError(
      'version',
      version,
      `must be an integer from 1 to ${10 ** VERSION_DIGITS - 1}`,
    );
  }
  return `${VERSION_PREFIX}${String(version).padStart(VERSION_DIGITS, '0')}`;
};

/** the state table holds one item per partition; the sort key names the kind of state */
export const lockKey = (model: string, name: string): ItemKey => ({
  pk: `LOCK#${assertName('model', model)}#${assertName('lock name', name)}`,
  sk: 'LOCK',
});

export const alertKey = (model: string, check: string): ItemKey => ({
  pk: `ALERT#${assertName('model', model)}#${escapeKeyText('check', check)}`,
  sk: 'ALERT',
});

export const detectorKey = (model: string, detector: string): ItemKey => ({
  pk: `DETECTOR#${assertName('model', model)}#${escapeKeyText('detector', detector)}`,
  sk: 'STATE',
});

export const describeKey = (key: ItemKey): string => `${key.pk} / ${key.sk}`;

export const isConditionalCheckFailed = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
