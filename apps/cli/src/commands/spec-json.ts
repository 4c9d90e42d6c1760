import type { SweepSpecJson } from '@repo/contracts';
import type { SweepSpec } from '@repo/sweep';

/** A validated spec as the plain JSON Redis keeps (for TPE suggestions and `mtl sweep extend`). */
export function specJson(spec: SweepSpec): SweepSpecJson {
  return JSON.parse(JSON.stringify(spec));
}
