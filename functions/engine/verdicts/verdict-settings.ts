/**
 * The settings of sequential verdicts (docs/verdicts.md). Defaults are the ones the simulations in
 * test/engine/verdicts justify; every setting is checked here, so the CDK config, the CLI and the handlers
 * reject the same bad values with the same one line naming the setting.
 */

/** hour: one payoff per window (valid under any dependence within it); record: one per record (faster, assumes independent records) */
export type EvidenceLevel = 'hour' | 'record';
/** test: a test martingale, alarm at 1/α (Ville), once per reference; shiryaev-roberts: a restarting detector, alarm at `arl` */
export type EvidenceForm = 'test' | 'shiryaev-roberts';

export interface VerdictSettings {
  /** false-alarm probability over the whole life of a reference (test form), and the FDR of e-BH across features */
  readonly alpha: number;
  /** δ: KS distance (numbers) or total variation (categories) below which a difference is irrelevant */
  readonly relevance: number;
  readonly level: EvidenceLevel;
  readonly form: EvidenceForm;
  /** effective number of past windows the witness averages (exponential weights) */
  readonly witnessWindows: number;
  /** probability that the reference's own sampling error exceeds the margin added to δ */
  readonly referenceRisk: number;
  /** shiryaev-roberts: mean number of windows to a false alarm, per dataset; @default 8760 (a year of hours) */
  readonly arl: number;
  /** at most this share of the largest bet the payoff's bounds allow (1 = all of it) */
  readonly betCap: number;
}

/**
 * δ = 0.03: the relevance margin. Below it a shift never alarms; the simulations (docs/verdicts.md, bench)
 * find a KS-0.15 shift at 100 rows per window in a median of 22 windows and KS-0.06 in about a week, while a
 * steady KS-0.04 difference, the size a reference of a few thousand rows misstates anyway, never alarms in a
 * month (at δ = 0.02 it does in 58% of streams).
 */
export const DEFAULT_RELEVANCE = 0.03;

export const DEFAULT_VERDICT_SETTINGS: VerdictSettings = {
  alpha: 0.05,
  relevance: DEFAULT_RELEVANCE,
  level: 'hour',
  form: 'test',
  witnessWindows: 3,
  referenceRisk: 1e-4,
  arl: 8760,
  betCap: 0.9,
};

/** A verdict setting outside its range: the message names the setting and the value. */
export class VerdictSettingsError extends Error {
  override readonly name = 'VerdictSettingsError';
  constructor(
    readonly setting: string,
    readonly reason: string,
  ) {
    super(`${setting}: ${reason}`);
  }
}

const check = (setting: string, value: number, ok: boolean, range: string): void => {
  if (!ok) throw new VerdictSettingsError(setting, `${JSON.stringify(value)} is outside ${range}`);
};

/**
 * The defaults with `overrides` applied, checked. `prefix` names the settings in messages the way the
 * caller's user writes them (`verdicts.` in the config, `--` on the CLI).
 */
export const verdictSettings = (
  overrides: Partial<VerdictSettings> = {},
  prefix = 'verdicts.',
): VerdictSettings => {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const s: VerdictSettings = { ...DEFAULT_VERDICT_SETTINGS, ...defined };
  check(`${prefix}alpha`, s.alpha, s.alpha > 0 && s.alpha <= 0.5, '(0, 0.5]');
  check(`${prefix}relevance`, s.relevance, s.relevance > 0 && s.relevance < 1, '(0, 1)');
  check(
    `${prefix}witnessWindows`,
    s.witnessWindows,
    Number.isFinite(s.witnessWindows) && s.witnessWindows >= 1,
    '[1, ∞)',
  );
  check(`${prefix}referenceRisk`, s.referenceRisk, s.referenceRisk > 0 && s.referenceRisk < 0.5, '(0, 0.5)');
  check(`${prefix}arl`, s.arl, Number.isFinite(s.arl) && s.arl >= 1, '[1, ∞)');
  check(`${prefix}betCap`, s.betCap, s.betCap > 0 && s.betCap < 1, '(0, 1)');
  if (s.level !== 'hour' && s.level !== 'record') {
    throw new VerdictSettingsError(`${prefix}level`, `${JSON.stringify(s.level)} is not "hour" or "record"`);
  }
  if (s.form !== 'test' && s.form !== 'shiryaev-roberts') {
    throw new VerdictSettingsError(
      `${prefix}form`,
      `${JSON.stringify(s.form)} is not "test" or "shiryaev-roberts"`,
    );
  }
  return s;
};
