import { InputError } from '../functions/engine/errors.ts';
import { decodeMaybeGzip } from '../functions/engine/readers/byte-source.ts';
import { sniffFormat } from '../functions/engine/readers/sniff.ts';
import { isParquetName, type TableFormat, type TableSchema } from '../functions/engine/readers/table.ts';
import { decodeUtf8 } from '../functions/engine/readers/text.ts';
import { type InputLocations, makeInputLocations } from './input-location.ts';

/** the names the capture reader gives an endpoint's response cells when nothing names them */
const OUTPUT_NAME = /^prediction(_\d+)?$/;

/**
 * Reads only the first line of the first file that has one to tell its format: a file that cannot be read
 * (a corrupt gzip) or holds nothing is passed over here, and reported when the input is read.
 */
export const detectFormat = async (
  path: string,
  maxLineLength?: number,
  locations: InputLocations = makeInputLocations(),
): Promise<TableFormat | undefined> => {
  for (const file of await locations.list(path)) {
    if (isParquetName(file)) return 'parquet';
    const text = decodeUtf8(decodeMaybeGzip(locations.open(file), file));
    try {
      const { format } = await sniffFormat(text, maxLineLength);
      if (format !== undefined) return format;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    } finally {
      await text.return(undefined);
    }
  }
  return undefined;
};

/**
 * Names for a window's unnamed columns, taken from the baseline. A capture record splits into request
 * and response cells: when the baseline was itself built from capture, its `prediction` columns name the
 * response and the rest the request; otherwise all its names go to the request.
 */
export const schemaFromBaseline = (
  names: readonly string[],
  format: TableFormat | undefined,
): TableSchema => {
  if (format !== 'capture') return { inputNames: [...names] };
  const outputs = names.filter((n) => OUTPUT_NAME.test(n));
  const inputs = names.filter((n) => !OUTPUT_NAME.test(n));
  return outputs.length > 0 ? { inputNames: inputs, outputNames: outputs } : { inputNames: inputs };
};
