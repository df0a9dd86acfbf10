import type { CellValue } from '../../engine/readers/types.ts';
import type { ModelConfig } from '../../shared/config/model-schema.ts';

/**
 * Labels as the training channels hold them: binary labels become 1 (the model's `positiveLabel`) or 0, so
 * that SageMaker's built-in algorithms and the local trainers read them alike; multiclass labels stay as
 * written; regression labels must be numbers. Undefined means the row has no usable label.
 */
export const trainingLabel = (model: Pick<ModelConfig, 'problemType' | 'positiveLabel'>, cell: CellValue) => {
  if (cell === null) return undefined;
  const text = String(cell).trim();
  if (text === '') return undefined;
  if (model.problemType === 'binary') {
    const positive = model.positiveLabel;
    if (text === positive) return '1';
    const n = Number(text);
    const p = Number(positive);
    if (Number.isFinite(n) && Number.isFinite(p) && n === p) return '1';
    if (text === 'true' && positive === '1') return '1';
    return '0';
  }
  if (model.problemType === 'regression') return Number.isFinite(Number(text)) ? text : undefined;
  return text;
};
