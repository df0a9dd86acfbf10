// The AWS SDK warns once per process that releases after January 2027 need Node 22. It says nothing about
// this run and would interleave with the timeline, so the local runtime drops that one warning; every other
// warning still prints. Imported first, before any module that loads the SDK.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (text.includes('NodeVersionSupportWarning') || text.includes('will require node >=22')) return;
  (emitWarning as (w: string | Error, ...r: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
