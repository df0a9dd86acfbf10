// one seeded generator for test data and the local scenario alike
export { mulberry32 } from '../../bin/local/scenario/random.ts';
