/**
 * Where the time goes: self time per function from a V8 `.cpuprofile` (node --cpu-prof), the top
 * entries with their share of the samples.
 *
 *   node --cpu-prof --cpu-prof-dir=bench/data/prof bench/data/worker.mjs engine <file> <baseline>
 *   npx tsx bench/profile-summary.ts bench/data/prof/<name>.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Self time per function (by name and location), largest first. */
export const selfTimes = (profile: CpuProfile): SelfTime[] => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url === '' ? '' : ` ${basename(frame.url)}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    const delta = profile.timeDeltas[i] ?? 0;
    totals.set(name, (totals.get(name) ?? 0) + delta);
    all += delta;
  });
  return [...totals.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / all }))
    .sort((a, b) => b.ms - a.ms);
};

const main = (): void => {
  const [file, top] = process.argv.slice(2);
  const rows = selfTimes(JSON.parse(readFileSync(file!, 'utf8')) as CpuProfile).slice(0, Number(top ?? 25));
  for (const row of rows) {
    console.log(
      `${(row.share * 100).toFixed(1).padStart(5)}%  ${row.ms.toFixed(0).padStart(6)} ms  ${row.name}`,
    );
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
