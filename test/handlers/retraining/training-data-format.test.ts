import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { makeDynamoRegistryRepository } from '../../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeS3StoreFor } from '../../../functions/adapters/s3/s3-object-store.ts';
import { makePrepareDataHandler } from '../../../functions/retraining/prepare-data/prepare-data.ts';
import {
  csvHeader,
  csvRecord,
  decodeFeatures,
  decodeLabel,
  encodeRow,
  fitEncoder,
  jsonLinesRecord,
  splitCsvRecord,
} from '../../../functions/retraining/shared/training-encoder.ts';
import { parseModelConfig } from '../../../functions/shared/config/parse-config.ts';
import type { AcquireLockResult, TrainingEncoder } from '../../../functions/shared/retraining-contract.ts';
import { loadConfig } from '../../../lib/config.ts';
import { RainModel, SEASONS } from '../../../local/scenario/rain-model.ts';
import { parseRainFeatures, rainTrainer } from '../../../local/scenario/rain-trainer.ts';
import { useDynalite } from '../../support/dynalite.ts';
import { useS3rver } from '../../support/s3rver.ts';
import { recordingLogger } from './support/silent-logger.ts';
import { execution } from './support/step-fixtures.ts';

const STORE = 'capture-store';
const DATA = 'model-care-local-data'; // the local scenario's data bucket (config/local.json)
const REGISTRY = 'format-registry';
const s3 = useS3rver([STORE, DATA]);
const dynalite = useDynalite([{ name: REGISTRY }]);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const lock: AcquireLockResult = {
  acquired: true,
  reason: 'acquired',
  lockId: 'l',
  expiresAt: '2026-11-24T08:00:00Z',
};

/** the scenario's rain model: temp_max, temp_min, wind numerical, season categorical; binary label */
const rain = loadConfig('config/local.json').models[0]!;

/** raw rows as the scenario seeds its channel: label first, the features as the endpoint receives them */
const rawRows = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => {
    const season = SEASONS[i % 4]!;
    const tempMax = 5 + ((i * 7) % 25);
    return `${i % 3 === 0 ? 1 : 0},${tempMax},${tempMax - 6},${(i * 3) % 11},${season}`;
  });

const store = () => makeS3StoreFor(s3.current.client);
const read = (uri: string) => {
  const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
  return store()(bucket!).getText(key!);
};

describe("the local scenario's retraining data", () => {
  test("writes CSV SageMaker's built-in XGBoost accepts: no header, label first, numbers only; the encoder in the manifest", async () => {
    const raw = rawRows(120);
    await store()(DATA).put('seattle-rain/train/days.csv', `${raw.join('\n')}\n`, 'text/csv');

    const data = await makePrepareDataHandler({
      storeFor: store(),
      captureBucket: STORE,
      registry: makeDynamoRegistryRepository(REGISTRY, dynalite.current.documentClient),
      logger: recordingLogger(),
    })({ model: rain, execution: execution('rain-1'), lock });

    const channelText = await read(`${data.channelUris.train!}part-00000.csv`);
    const lines = channelText.trimEnd().split('\n');
    const records = lines.map((line) => line.split(','));
    // XGBoost's text/csv: the label in the first column, no header, every field a number, one width
    expect(
      records.every((fields) => fields.every((field) => field !== '' && Number.isFinite(Number(field)))),
    ).toBe(true);
    expect(new Set(records.map((fields) => fields[0]))).toEqual(new Set(['0', '1']));
    expect(new Set(records.map((fields) => fields.length))).toEqual(new Set([1 + 3 + SEASONS.length]));
    expect(Number.isNaN(Number(lines[0]!.split(',')[1]))).toBe(false); // no header row

    // the encoder, beside the model artifact, hashed in the manifest and carried to the version
    expect(data.encoder.uri).toBe(
      `s3://${STORE}/training/seattle-rain/artifacts/${data.jobName}/encoder.json`,
    );
    const encoderText = await read(data.encoder.uri);
    expect(sha256(encoderText)).toBe(data.encoder.sha256);
    const manifest = JSON.parse(await read(data.manifestUri));
    expect(manifest.encoder).toEqual({
      uri: data.encoder.uri,
      sha256: data.encoder.sha256,
      categoricalEncoding: 'one-hot',
    });
    expect(manifest.columns).toEqual([
      'label',
      'temp_max',
      'temp_min',
      'wind',
      ...[...SEASONS].sort().map((season) => `season=${season}`),
    ]);

    // the local trainer reads the encoder and learns exactly what it would from the raw rows
    const encoder = JSON.parse(encoderText) as TrainingEncoder;
    const body = Buffer.from(channelText);
    const trained = await rainTrainer.train({
      jobName: data.jobName,
      image: rain.retraining!.trainingImage,
      hyperparameters: {},
      channels: { train: { contentType: 'text/csv', files: [{ key: 'part-00000.csv', body }] } },
      besideArtifact: async (file) => (file === 'encoder.json' ? Buffer.from(encoderText) : null),
    });
    const decoded = records.map((fields) => {
      const { label, columns } = splitCsvRecord(encoder, fields);
      return {
        features: parseRainFeatures(decodeFeatures(encoder, columns)),
        label: label === '1' ? (1 as const) : (0 as const),
      };
    });
    expect(trained).toBe(JSON.stringify(RainModel.train(decoded).toJSON()));
    const rawTraining = new Set(raw.map((line) => line));
    expect(decoded.every((row) => rawTraining.has(`${row.label},${row.features.join(',')}`))).toBe(true);
  });
});

describe('training encoder', () => {
  const model = parseModelConfig({
    name: 'tickets',
    problemType: 'multiclass',
    features: [
      { name: 'length', type: 'numerical' },
      { name: 'channel', type: 'categorical' },
    ],
    outputs: [{ name: 'label', role: 'prediction' }],
    baseline: { datasetUri: 's3://team-data/t.csv' },
    retraining: {
      trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/t:1',
      inputChannels: [{ name: 'train', s3Uri: 's3://team-data/t/' }],
    },
  });
  const rows = [
    { label: 'billing', features: ['12', 'email'] },
    { label: 'bug', features: ['3.5', 'chat'] },
    { label: 'billing', features: ['', 'phone'] },
  ];
  const settings = (overrides: object) => ({ ...model.retraining!.trainingData, ...overrides });

  test.each([
    ['one-hot, label first (the default)', {}, ['0,12,0,1,0', '1,3.5,1,0,0', '0,,0,0,1']],
    [
      'ordinal, label last',
      { categoricalEncoding: 'ordinal', labelColumn: 'last' },
      ['12,1,0', '3.5,0,1', ',2,0'],
    ],
    [
      'no encoding, no label',
      { categoricalEncoding: 'none', labelColumn: 'none' },
      ['12,email', '3.5,chat', ',phone'],
    ],
  ])('writes CSV records %s', (_, overrides, expected) => {
    const encoder = fitEncoder(model, settings(overrides), rows);
    expect(rows.map((row) => csvRecord(encoder, encodeRow(encoder, row)).trimEnd())).toEqual(expected);
  });

  test('writes a header only when asked, naming the label and every encoded column', () => {
    const encoder = fitEncoder(model, settings({ header: true }), rows);
    expect(csvHeader(encoder)).toBe('label,length,channel=chat,channel=email,channel=phone\n');
  });

  test('writes JSON Lines records with the label apart', () => {
    const encoder = fitEncoder(model, settings({}), rows);
    expect(jsonLinesRecord(encoder, encodeRow(encoder, rows[0]!))).toBe(
      '{"label":0,"features":[12,0,1,0]}\n',
    );
  });

  test('decodes what it encoded back into the features and the class (property)', () => {
    const text = fc.constantFrom('email', 'chat', 'phone', 'fax');
    const row = fc.record({
      label: fc.constantFrom('billing', 'bug', 'other'),
      features: fc.tuple(fc.integer({ min: -1000, max: 1000 }).map(String), text),
    });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('one-hot', 'ordinal'),
        (sample, encoding) => {
          const encoder = fitEncoder(model, settings({ categoricalEncoding: encoding }), sample);
          for (const original of sample) {
            const fields = csvRecord(encoder, encodeRow(encoder, original)).trimEnd().split(',');
            const { label, columns } = splitCsvRecord(encoder, fields);
            expect(decodeFeatures(encoder, columns)).toEqual([...original.features]);
            expect(decodeLabel(encoder, label!)).toBe(original.label);
          }
        },
      ),
    );
  });

  test.each([
    ['application/x-parquet', /not written by prepare-data/],
    ['application/x-recordio-protobuf', /not written by prepare-data/],
  ])('rejects a channel declared %s at config time, naming the field', (contentType, message) => {
    expect(() =>
      parseModelConfig({
        ...model,
        retraining: {
          ...model.retraining,
          inputChannels: [{ name: 'train', s3Uri: 's3://team-data/t/', contentType }],
        },
      }),
    ).toThrow(message);
  });
});
