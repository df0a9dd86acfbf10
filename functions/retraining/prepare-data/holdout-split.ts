import { createHash } from 'node:crypto';

export interface SplitOptions {
  /** share of each stratum held out, in (0, 0.5) */
  readonly fraction: number;
  /** the same seed and rows always give the same split: the execution's name */
  readonly seed: string;
  /** rows with the same key are split together (the label, for classification), so the holdout keeps both classes */
  readonly stratum?: (index: number) => string;
}

export interface Split {
  /** indices in ascending order */
  readonly training: number[];
  readonly holdout: number[];
}

const rank = (seed: string, index: number): string =>
  createHash('sha256').update(`${seed}\u0000${index}`).digest('hex');

/**
 * A deterministic stratified split of `count` rows: each stratum contributes round(n * fraction) rows, chosen
 * by a hash of the seed and the row's index (a shuffle no random generator has to reproduce). At least one
 * row is held out when there are two or more rows, from the largest stratum.
 */
export const holdoutSplit = (count: number, options: SplitOptions): Split => {
  const strata = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const key = options.stratum?.(i) ?? '';
    let members = strata.get(key);
    if (!members) {
      members = [];
      strata.set(key, members);
    }
    members.push(i);
  }
  const held = new Set<number>();
  const ranked = [...strata.values()].map((members) =>
    members
      .map((index) => ({ index, rank: rank(options.seed, index) }))
      .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
      .map((entry) => entry.index),
  );
  for (const members of ranked) {
    const take = Math.round(members.length * options.fraction);
    for (const index of members.slice(0, take)) held.add(index);
  }
  if (held.size === 0 && count >= 2) {
    const largest = ranked.reduce((a, b) => (b.length > a.length ? b : a));
    held.add(largest[0]!);
  }
  const training: number[] = [];
  const holdout: number[] = [];
  for (let i = 0; i < count; i++) (held.has(i) ? holdout : training).push(i);
  return { training, holdout };
};
