import fc from 'fast-check';

// Property tests explore with a fixed seed so that CI is repeatable; set FC_SEED to explore other
// inputs locally (a failure prints its seed and counterexample either way).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });
