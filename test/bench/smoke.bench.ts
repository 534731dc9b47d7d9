import { compare, measureLoop } from './harness';

/** Checks the harness itself: two trivial contenders, one deliberately slower. */
export default async function run(): Promise<void> {
  await compare({
    title: 'harness smoke',
    rounds: 3,
    contenders: [
      {
        name: 'resolve',
        measure: () => measureLoop(async () => {}, { durationMs: 200, warmupMs: 0 }),
      },
      {
        name: 'timeout 1ms',
        measure: () =>
          measureLoop(() => new Promise((r) => setTimeout(r, 1)), { durationMs: 200, warmupMs: 0 }),
      },
    ],
  });
}
