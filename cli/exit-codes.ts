/** exit code when `--fail-on-violation` is set and the window drifted or broke a constraint */
export const EXIT_VIOLATION = 1;
