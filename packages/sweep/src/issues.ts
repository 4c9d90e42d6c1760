import { z } from 'zod';

/** A field path as segments: `['parameters', 'arch', 'values', 1]`. */
export type FieldPath = readonly (string | number)[];

/** An issue before it is placed in a file: segments, so the YAML node (and its line) can be found. */
export interface RawIssue {
  path: FieldPath;
  message: string;
}

/** `parameters.arch.values[1]`. */
export function formatPath(path: FieldPath): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? segment : `${text}.${segment}`;
  }, '');
}

/** A strict zod object whose unknown-field message lists the allowed fields. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field; allowed: ${allowed}` : undefined),
  });
}

/** Zod's issues as raw issues under `prefix`: one per unknown key, "required" for a missing field. */
export function fromZod(error: z.ZodError, prefix: FieldPath = []): RawIssue[] {
  return error.issues.flatMap((issue): RawIssue[] => {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: issue.message }));
    }
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      return [{ path, message: `required (${issue.expected})` }];
    }
    return [{ path, message: issue.message }];
  });
}
