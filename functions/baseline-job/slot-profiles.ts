import { InputError } from '../engine/errors.ts';
import { DatasetProfile } from '../engine/profile/dataset-profile.ts';
import type { MalformedLog } from '../engine/profile/malformed-log.ts';
import type { NamedSource } from '../engine/profile/profile-sources.ts';
import { SpanRow } from '../engine/readers/span-row.ts';
import { openTable, type TableSchema } from '../engine/readers/table.ts';
import { type Seasonality, slotCount, slotOf } from '../engine/verdicts/seasonal-reference.ts';

/** ISO 8601 text, or epoch seconds / milliseconds (a number, or text that is one) */
export const parseRowTime = (value: unknown): number | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const asNumber = Number(value);
  if (Number.isFinite(asNumber)) return parseRowTime(asNumber);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

export interface SlotProfiles {
  /** every row with a readable time: the sum of the slots */
  readonly pooled: DatasetProfile;
  /** one profile per slot (hour of day or of week, UTC), empty when no row fell in it */
  readonly slots: readonly DatasetProfile[];
}

/**
 * A seasonal baseline's profiles in one streaming pass: each row goes to the profile of its slot, found from
 * its `timeField` column in UTC; the pooled profile is their merge (profiles merge exactly). Memory is one
 * reader plus `slotCount` bounded profiles. A row whose time cannot be read is malformed (file, line and field
 * listed) and left out of every profile, so the pooled and the slot references describe the same rows.
 */
export const profileSlots = async (
  sources: readonly NamedSource[],
  options: {
    readonly format: 'csv' | 'jsonl' | 'auto';
    readonly header?: boolean;
    readonly schema?: TableSchema;
    readonly malformed: MalformedLog;
    readonly seasonality: Seasonality;
    readonly timeField: string;
  },
): Promise<SlotProfiles> => {
  const { malformed, seasonality, timeField } = options;
  let columns: readonly string[] | undefined;
  let slots: DatasetProfile[] = [];
  for (const source of sources) {
    const table = await openTable(source.name, source.open(), {
      format: options.format,
      ...(options.header === undefined ? {} : { header: options.header }),
      ...(options.schema ? { schema: options.schema } : {}),
      onMalformed: malformed.sink,
    });
    if (columns === undefined) {
      columns = table.columns;
      slots = Array.from({ length: slotCount(seasonality) }, () => new DatasetProfile(table.columns));
    } else if (columns.join('\u0000') !== table.columns.join('\u0000')) {
      throw new InputError(
        { file: source.name },
        `columns [${table.columns.join(', ')}] differ from [${columns.join(', ')}] in ${sources[0]!.name}`,
      );
    }
    const timeIndex = table.columns.indexOf(timeField);
    if (timeIndex < 0) {
      throw new InputError(
        { file: source.name, field: timeField },
        `baseline.timeField: no such column (columns: ${table.columns.join(', ')})`,
      );
    }
    for await (const batch of table.batches) {
      for (const row of batch) {
        const raw = row.values[timeIndex];
        const t = parseRowTime(raw);
        if (t === undefined) {
          malformed.sink({
            file: source.name,
            line: row.line,
            field: timeField,
            reason: `no readable time: ${JSON.stringify(raw ?? null)}`,
          });
          continue;
        }
        const slot = slots[slotOf(seasonality, new Date(t))]!;
        if (row instanceof SpanRow) slot.addSpans(row.text, row.spans, row.at);
        else slot.addRow(row.values);
      }
    }
  }
  if (columns === undefined) throw new InputError({ file: '<input>' }, 'empty input: no files to read');
  const pooled = new DatasetProfile(columns);
  for (const slot of slots) pooled.merge(slot);
  pooled.malformed = malformed.count;
  return { pooled, slots };
};
