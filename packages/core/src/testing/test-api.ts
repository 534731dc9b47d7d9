/**
 * The slice of a test framework the conformance suite needs, so it runs under vitest, jest,
 * mocha + an `expect` library, or node:test with a small shim: pass their functions in.
 */
export interface ConformanceTestApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): unknown;
  /** Only `toBe` and `toEqual` (on plain values and small byte arrays) are used. */
  expect(actual: unknown): { toBe(expected: unknown): void; toEqual(expected: unknown): void };
}
