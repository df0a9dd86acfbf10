import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGroundTruthRecord } from '../../../functions/engine/labels/ground-truth.ts';
import { joinLabels } from '../../../functions/engine/labels/join-labels.ts';
import { readLabels, readPredictions } from '../../../functions/engine/labels/read-labels.ts';
import { MalformedLog } from '../../../functions/engine/profile/malformed-log.ts';
import type { BinaryMetrics } from '../../../functions/engine/quality/binary-metrics.ts';
import { evaluateQuality } from '../../../functions/engine/quality/evaluate-quality.ts';
import { openFile } from '../../../functions/engine/readers/byte-source.ts';

const FIXTURES = 'test/fixtures/model-monitor';
// scikit-learn on the same join, from test/reference/labels/make_capture_quality_reference.py
const reference = JSON.parse(readFileSync('test/reference/labels/capture-quality.json', 'utf8'));

const textSource = (text: string) =>
  (async function* () {
    yield Buffer.from(text);
  })();

describe('quality from capture and ground truth', () => {
  it("joins Model Monitor's capture and ground-truth fixtures by eventId and matches scikit-learn", async () => {
    const malformed = new MalformedLog();
    const joined = await joinLabels(
      readPredictions(`${FIXTURES}/monitor--capture.jsonl`, openFile(`${FIXTURES}/monitor--capture.jsonl`), {
        onMalformed: malformed.sink,
      }),
      readLabels(`${FIXTURES}/monitor--actuals.jsonl`, openFile(`${FIXTURES}/monitor--actuals.jsonl`), {
        onMalformed: malformed.sink,
      }),
    );
    expect(malformed.count).toBe(0);
    expect(joined.unmatchedPredictions).toBe(reference.unmatchedPredictions);
    expect(joined.unmatchedLabels).toBe(reference.unmatchedLabels);
    const result = evaluateQuality(joined, 'binary');
    expect(result.rows).toBe(reference.rows);
    const metrics = result.metrics as BinaryMetrics;
    for (const [name, expected] of Object.entries(reference.metrics)) {
      if (name === 'confusionMatrix') expect(metrics.confusionMatrix).toEqual(expected);
      else expect(metrics[name as keyof BinaryMetrics] as number).toBeCloseTo(expected as number, 12);
    }
  });

  it('counts late labels and orphan labels instead of dropping them silently', async () => {
    const predictions = 'id,prediction,score\na,1,0.9\nb,0,0.2\nc,1,0.7\n';
    const labels = 'id,label\na,1\nc,0\nzz,1\n';
    const malformed = new MalformedLog();
    const joined = await joinLabels(
      readPredictions('p.csv', textSource(predictions), { onMalformed: malformed.sink }),
      readLabels('l.csv', textSource(labels), { onMalformed: malformed.sink }),
    );
    expect(joined.pairs.map((p) => p.id).sort()).toEqual(['a', 'c']);
    expect(joined.unmatchedPredictions).toBe(1);
    expect(joined.unmatchedLabels).toBe(1);
  });

  it('computes per-segment metrics and fairness gaps', async () => {
    const predictions =
      'id,prediction,score,region\n1,1,0.9,north\n2,0,0.1,north\n3,1,0.8,south\n4,1,0.6,south\n';
    const labels = 'id,label\n1,1\n2,0\n3,0\n4,1\n';
    const joined = await joinLabels(
      readPredictions('p.csv', textSource(predictions), {
        onMalformed: () => {},
        columns: { segment: 'region' },
      }),
      readLabels('l.csv', textSource(labels), { onMalformed: () => {} }),
    );
    const result = evaluateQuality(joined, 'binary');
    expect(Object.keys(result.segments!)).toEqual(['north', 'south']);
    expect((result.segments!.north as BinaryMetrics).accuracy).toBe(1);
    expect((result.segments!.south as BinaryMetrics).accuracy).toBe(0.5);
    // positive rates: north 1/2, south 2/2; true-positive rates: north 1, south 1
    expect(result.fairness!.demographicParityDifference).toBe(0.5);
    expect(result.fairness!.equalOpportunityDifference).toBe(0);
  });

  it('counts labels a binary problem cannot read as invalid', async () => {
    const joined = await joinLabels(
      [
        { id: 'a', prediction: 1, score: 0.8 },
        { id: 'b', prediction: 0, score: 0.3 },
      ],
      [
        { line: 1, id: 'a', label: 'cat' },
        { line: 2, id: 'b', label: '0' },
      ],
    );
    const result = evaluateQuality(joined, 'binary');
    expect(result.invalid).toBe(1);
    expect(result.rows).toBe(1);
  });

  it.each([
    [{ groundTruthData: { data: '1', encoding: 'CSV' } }, 'eventMetadata', /missing or not an object/],
    [
      { groundTruthData: { data: '1', encoding: 'XML' }, eventMetadata: { eventId: 'e' } },
      'groundTruthData.encoding',
      /unknown encoding "XML"/,
    ],
    [
      { groundTruthData: { data: '1,2', encoding: 'CSV' }, eventMetadata: { eventId: 'e' } },
      'groundTruthData.data',
      /expected one label, found 2 values/,
    ],
  ])('rejects a bad ground-truth record (%#), naming field %s', (record, field, reason) => {
    try {
      parseGroundTruthRecord(record, { file: 'gt.jsonl', line: 3 });
      expect.unreachable();
    } catch (error) {
      expect((error as { location: { field: string } }).location.field).toBe(field);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toMatch(/^gt\.jsonl:3 /);
    }
  });

  it('joins on inferenceId when the record has one', () => {
    const label = parseGroundTruthRecord(
      {
        groundTruthData: { data: 'yes', encoding: 'CSV' },
        eventMetadata: { eventId: 'e1', inferenceId: 'inf-9' },
      },
      { file: 'gt.jsonl', line: 1 },
    );
    expect(label).toEqual({ line: 1, id: 'inf-9', label: 'yes' });
  });
});
