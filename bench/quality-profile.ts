/**
 * Where `model-care quality`'s time goes: one evaluation of a window with the CLI's settings, printing the
 * phases (read predictions, read labels, join + accumulate, metrics; wall and CPU ms) and how the join used
 * memory and disk. quality-bench.ts bundles it and runs it once per size.
 *
 *   node quality-profile.mjs <predictions.csv> <labels.csv>
 */
import { evaluateQualityAtScale } from '../functions/engine/labels/quality-at-scale.ts';
import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import { openFile } from '../functions/engine/readers/byte-source.ts';

const [predictions, labels] = process.argv.slice(2) as [string, string];
const started = performance.now();
const result = await evaluateQualityAtScale(
  { file: predictions, open: () => openFile(predictions) },
  { file: labels, open: () => openFile(labels) },
  'binary',
  { onMalformed: new MalformedLog().sink },
);
console.log(
  JSON.stringify({
    mode: 'quality-profile',
    elapsedMs: performance.now() - started,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    phases: result.phases,
    join: result.join,
    scoresSpilled: result.scoresSpilled,
    readers: result.readers,
  }),
);
