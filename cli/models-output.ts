/**
 * How `model-care models` shows answers: plain aligned tables by default (`--json` prints the API's JSON).
 * The shapes are the admin API's bodies (functions/admin-api/admin-api.ts).
 */

type Row = Record<string, unknown>;

const text = (value: unknown): string => {
  if (value === undefined || value === null || value === '') return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.join(', ');
  return String(value);
};

/** columns padded to their widest cell, the last one left ragged */
export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
};

export const renderList = (models: Row[]): string =>
  models.length === 0
    ? 'no models'
    : table(
        ['NAME', 'VERSION', 'STATUS', 'UPDATED', 'BY', 'SOURCE', 'APPLIED'],
        models.map((m) => [
          text(m.name),
          text(m.version),
          text(m.status),
          text(m.updatedAt),
          text(m.updatedBy),
          text(m.source),
          m.appliedVersion === m.version ? 'yes' : `pending (applied: ${text(m.appliedVersion)})`,
        ]),
      );

export const renderHistory = (history: Row[]): string =>
  table(
    ['VERSION', 'CHANGE', 'AT', 'BY', 'SOURCE', 'REASON', 'CHANGED'],
    history.map((h) => [
      text(h.version),
      text(h.change),
      text(h.at),
      text(h.principal),
      text(h.source),
      text(h.reason),
      text(h.changedPaths),
    ]),
  );

export const renderModel = (model: Row): string => {
  const current = (model.current ?? {}) as Row;
  const config = (model.config ?? {}) as {
    features?: unknown[];
    endpoint?: { name?: string };
    retraining?: unknown;
  };
  return table(
    ['FIELD', 'VALUE'],
    [
      ['name', text(model.name)],
      [
        'version',
        `${text(model.version)}${current.version !== model.version ? ` (current: ${text(current.version)})` : ''}`,
      ],
      ['status', text(current.status)],
      ['change', text(model.change)],
      ['at', text(model.at)],
      ['by', text(model.principal)],
      ['source', text(model.source)],
      ['reason', text(model.reason)],
      ['features', text(config.features?.length)],
      ['endpoint', text(config.endpoint?.name)],
      ['retraining', config.retraining ? 'yes' : 'no'],
      ['capture', text(current.capturePrefix)],
    ],
  );
};

export const renderChange = (body: Row): string => {
  const name = text(body.name);
  const version = text(body.version);
  if (body.change === 'remove') return `${name}: removed (version ${version})`;
  if (body.changed === false) return `${name}: unchanged (version ${version})`;
  const changed =
    Array.isArray(body.changedPaths) && body.changedPaths.length > 0
      ? `; changed ${text(body.changedPaths)}`
      : '';
  const what = body.change === 'recreate' ? 'recreated' : Number(body.version) === 1 ? 'created' : 'updated';
  return `${name}: ${what} as version ${version}${changed}`;
};
