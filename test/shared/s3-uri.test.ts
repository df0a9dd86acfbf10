import { describe, expect, test } from 'vitest';
import { InvalidS3UriError, parseS3Uri, s3Uri } from '../../functions/shared/s3-uri.ts';

describe('parseS3Uri', () => {
  test.each([
    ['s3://my-bucket/data/train.csv', { bucket: 'my-bucket', key: 'data/train.csv' }],
    ['s3://my-bucket/data/', { bucket: 'my-bucket', key: 'data/' }],
    ['s3://my-bucket/', { bucket: 'my-bucket', key: '' }],
    ['s3://my-bucket', { bucket: 'my-bucket', key: '' }],
    ['s3://a.b-c/x y', { bucket: 'a.b-c', key: 'x y' }],
  ])('splits %s', (uri, location) => {
    expect(parseS3Uri(uri)).toEqual(location);
  });

  test('round-trips with s3Uri', () => {
    const { bucket, key } = parseS3Uri(s3Uri('reports-bucket', 'reports/churn/data/x.json'));
    expect([bucket, key]).toEqual(['reports-bucket', 'reports/churn/data/x.json']);
  });

  test.each([
    'https://my-bucket.s3.amazonaws.com/key',
    's3://My-Bucket/key',
    's3://ab/key',
    'my-bucket/key',
    '',
  ])('rejects %j, naming the field', (uri) => {
    const error = (() => {
      try {
        return parseS3Uri(uri, 'event.trigger.detail.datasetUri');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidS3UriError);
    expect((error as Error).message).toBe(
      `event.trigger.detail.datasetUri: ${JSON.stringify(uri)} is not an s3://bucket/key URI`,
    );
  });
});
