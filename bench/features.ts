/**
 * The benchmark's synthetic model: 20 request features (12 numeric, 8 categorical) and a score, drawn
 * from a seeded generator so every machine writes the same bytes. The training set and the capture
 * windows share these definitions; a window shifts a few of them (`drifted`), so the checks have
 * something to find, as a real window would.
 */

/** sfc32: small, fast, and good enough for synthetic data; seeded so the files are reproducible. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** uniform in [0, 1) */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  normal(mean: number, sd: number): number {
    // Box-Muller; one of the pair is dropped to keep the draw count per call fixed
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** index drawn from cumulative weights */
  pick(cumulative: readonly number[]): number {
    const x = this.next() * cumulative[cumulative.length - 1]!;
    let i = 0;
    while (cumulative[i]! <= x) i++;
    return i;
  }

  hex(length: number): string {
    let text = '';
    while (text.length < length) text += ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return text.slice(0, length);
  }
}

const cumulative = (weights: readonly number[]): number[] => {
  let sum = 0;
  return weights.map((w) => (sum += w));
};

const zipf = (count: number, s = 1.1): number[] => Array.from({ length: count }, (_, i) => 1 / (i + 1) ** s);

interface Categorical {
  values: string[];
  weights: number[];
}

const categorical = (values: string[], weights: number[]): Categorical => ({
  values,
  weights: cumulative(weights),
});

const COUNTRIES = categorical(
  [
    'US',
    'DE',
    'GB',
    'FR',
    'IN',
    'BR',
    'JP',
    'CA',
    'AU',
    'ES',
    'IT',
    'MX',
    'NL',
    'SE',
    'PL',
    'KR',
    'TR',
    'AR',
    'ZA',
    'NG',
  ],
  zipf(20),
);
const DEVICES = categorical(['mobile', 'desktop', 'tablet'], [0.6, 0.32, 0.08]);
const DEVICES_DRIFTED = categorical(['mobile', 'desktop', 'tablet'], [0.7, 0.22, 0.08]);
const CHANNELS = categorical(['web', 'app', 'store', 'partner', 'phone'], [0.4, 0.35, 0.12, 0.08, 0.05]);
const PLANS = categorical(['free', 'basic', 'plus', 'premium'], [0.5, 0.3, 0.15, 0.05]);
const SEGMENTS = categorical(['A', 'B', 'C', 'D', 'E'], [0.1, 0.2, 0.4, 0.2, 0.1]);
const BROWSERS = categorical(
  ['chrome', 'safari', 'firefox', 'edge', 'samsung', 'opera', 'uc', 'other'],
  [0.55, 0.2, 0.08, 0.07, 0.04, 0.03, 0.02, 0.01],
);
const MERCHANTS = categorical(
  Array.from({ length: 200 }, (_, i) => `mcc_${String(5000 + i * 7)}`),
  zipf(200, 0.9),
);
const WEEKEND = categorical(['no', 'yes'], [5, 2]);

/** The 20 request columns, in payload order, then the response column. */
export const FEATURE_NAMES = [
  'age',
  'income',
  'credit_score',
  'balance',
  'tenure_months',
  'num_products',
  'txn_amount',
  'txn_per_day',
  'utilization',
  'distance_km',
  'session_seconds',
  'risk_index',
  'country',
  'device',
  'channel',
  'plan',
  'segment',
  'browser',
  'merchant_category',
  'is_weekend',
] as const;

export const OUTPUT_NAME = 'prediction';

/** Features a capture window shifts against training; the rest keep the training distribution. */
export const DRIFTED_FEATURES = ['income', 'txn_amount', 'device'] as const;

const cell = (r: Random, values: Categorical): string => values.values[r.pick(values.weights)]!;

/**
 * One request (20 CSV cells) and its score. `drift` selects the window's shifted distributions.
 * About 2% of `balance` cells are empty (missing), as real traffic has gaps.
 */
export const drawRecord = (r: Random, drift: boolean): { input: string; score: string } => {
  const age = r.int(18, 90);
  const income = Math.exp(r.normal(drift ? 10.9 : 10.8, 0.5));
  const credit = Math.min(850, Math.max(300, Math.round(r.normal(680, 60))));
  const balance = r.next() < 0.02 ? '' : r.normal(2500, 1800).toFixed(2);
  const tenure = r.int(0, 240);
  const products = r.int(1, 4);
  const amount = r.exponential(drift ? 95 : 80);
  const perDay = Math.floor(r.exponential(3));
  const utilization = r.next();
  const distance = r.exponential(12);
  const session = r.exponential(240);
  const risk = r.normal(0, 1);
  const cells = [
    String(age),
    income.toFixed(2),
    String(credit),
    balance,
    String(tenure),
    String(products),
    amount.toFixed(2),
    String(perDay),
    utilization.toFixed(4),
    distance.toFixed(3),
    session.toFixed(1),
    risk.toFixed(6),
    cell(r, COUNTRIES),
    cell(r, drift ? DEVICES_DRIFTED : DEVICES),
    cell(r, CHANNELS),
    cell(r, PLANS),
    cell(r, SEGMENTS),
    cell(r, BROWSERS),
    cell(r, MERCHANTS),
    cell(r, WEEKEND),
  ];
  const logit = -1 + 0.8 * risk + (credit - 680) / 120 - utilization + (r.next() - 0.5);
  const score = 1 / (1 + Math.exp(-logit));
  return { input: cells.join(','), score: score.toFixed(6) };
};
