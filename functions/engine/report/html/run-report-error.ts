/** A RunSummary the report cannot draw honestly (e.g. histogram counts that do not match their labels). */
export class RunReportError extends Error {
  override readonly name = 'RunReportError';
}
