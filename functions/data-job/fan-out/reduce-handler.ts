import { defaultRunDeps } from '../../handler-kit/default-run-deps.ts';
import { makeFanOutReduceHandler } from './reduce.ts';

export const handler = makeFanOutReduceHandler(defaultRunDeps());
