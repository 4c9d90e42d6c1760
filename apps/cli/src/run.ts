import { type Command, CommanderError } from 'commander';
import { ExitCode, ExitStatus, UsageError } from './errors.js';
import { createProgram } from './program.js';

/** Runs `mtl` with argv and resolves to the process exit code. */
export async function run(argv: string[]): Promise<number> {
  return runProgram(await createProgram(argv), argv);
}

/** Parses argv with `program` and maps what it throws onto `mtl`'s exit codes (shared with `mtl-bench`). */
export async function runProgram(program: Command, argv: string[]): Promise<number> {
  program.commands.forEach(function inherit(cmd: Command) {
    cmd.exitOverride();
    cmd.commands.forEach(inherit);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message; help and version are not errors.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof ExitStatus) {
      process.stderr.write(`mtl: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`mtl: ${error.message}\n`);
      return ExitCode.usage;
    }
    process.stderr.write(`mtl: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.failure;
  }
}
