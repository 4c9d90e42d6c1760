import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** What one measuring process reports: every timed step of one backend and thread count. */
export interface RoundResult {
  backend: string;
  threads: number | null;
  params: number;
  stepSeconds: number[];
}

/** The step `torch_train_step.py` times: the same model, batch and images as wasm's. */
export interface TorchStep {
  threads: number;
  size: number;
  batch: number;
  width: number;
  steps: number;
  warmup: number;
}

/** The script beside the bench's sources (`apps/bench/python`), from `dist/` or `src/`. */
const SCRIPT = fileURLToPath(new URL('../python/torch_train_step.py', import.meta.url));

/** Pythons tried in order when none is named: pyenv or a venv may hide Debian's `python3-torch`. */
const PYTHONS = ['python3', '/usr/bin/python3'];

/**
 * The first Python that imports torch, with torch's version, or the reason none does.
 * `python` (from `--python`) is the only one tried when given.
 */
export async function findTorch(
  python?: string,
): Promise<{ python: string; version: string } | { missing: string }> {
  const tried: string[] = [];
  for (const candidate of python === undefined ? PYTHONS : [python]) {
    try {
      const { stdout } = await execFileAsync(candidate, ['-c', 'import torch; print(torch.__version__)'], {
        timeout: 60_000,
      });
      return { python: candidate, version: stdout.trim() };
    } catch {
      tried.push(candidate);
    }
  }
  return {
    missing: `no Python with torch (tried ${tried.join(', ')}; Debian: apt-get install python3-torch)`,
  };
}

/** One PyTorch measuring process (CPU, `torch.set_num_threads(threads)`). */
export async function measureTorch(python: string, step: TorchStep): Promise<RoundResult> {
  const args = [SCRIPT, ...Object.entries(step).flatMap(([name, value]) => [`--${name}`, String(value)])];
  const { stdout } = await execFileAsync(python, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as RoundResult;
}
