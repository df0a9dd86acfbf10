// one seeded generator for test data and the local scenario alike
export { mulberry32 } from '../../local/scenario/random.ts';
