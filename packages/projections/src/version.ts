/**
 * The library version `explain` reports (SPEC §8). Kept equal to this package's
 * `package.json` version by a test.
 */
export const LIBRARY_VERSION = '0.1.0';
