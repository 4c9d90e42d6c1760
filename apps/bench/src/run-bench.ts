import { runProgram } from '@repo/cli/run';
import { createBenchProgram } from './bench-program.js';

/** Runs `mtl-bench` with argv and resolves to the process exit code (as `mtl` does). */
export function runBench(argv: string[]): Promise<number> {
  return runProgram(createBenchProgram(), argv);
}
