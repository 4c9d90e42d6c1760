import { readFile } from 'node:fs/promises';
import { type Document, LineCounter, parseDocument } from 'yaml';
import { SweepSpecError } from './errors.js';
import { type FieldPath, formatPath } from './issues.js';
import { checkSweepSpec, type SweepSpec, type SweepSpecOptions } from './sweep-spec.js';

/**
 * Parses and validates a YAML sweep spec. Malformed YAML and invalid fields both throw a SweepSpecError
 * whose issues carry the field path and the line (`seed.yaml:12: parameters.learningRate.min: …`).
 */
export function parseSweepSpec(text: string, file?: string, options: SweepSpecOptions = {}): SweepSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SweepSpecError(
      doc.errors.map((error) => ({
        path: '',
        // The line goes in front; yaml's own "at line …" suffix and source excerpt would repeat it.
        message: `invalid YAML: ${error.message.split(' at line ')[0]}`,
        line: lineCounter.linePos(error.pos[0]).line,
      })),
      file,
    );
  }
  const result = checkSweepSpec(toJS(doc, file), options);
  if ('spec' in result) return result.spec;
  const issues = result.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    line: lineOf(doc, issue.path, lineCounter),
  }));
  // In file order, as an editor would walk them (sort is stable: same-line issues keep their order).
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  throw new SweepSpecError(issues, file);
}

/** Reads and parses a YAML sweep spec file; an unreadable file is a SweepSpecError too. */
export async function loadSweepSpec(file: string, options: SweepSpecOptions = {}): Promise<SweepSpec> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a directory' : error.message;
    throw new SweepSpecError([{ path: '', message: `cannot read the sweep spec: ${reason}` }], file);
  });
  return parseSweepSpec(text, file, options);
}

/** Aliases may be expanded 100 times at most: an alias bomb (a billion laughs) is a spec error. */
const MAX_ALIAS_EXPANSIONS = 100;

function toJS(doc: Document, file: string | undefined): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    throw new SweepSpecError(
      [
        {
          path: '',
          message: `refused: its YAML aliases expand more than ${MAX_ALIAS_EXPANSIONS} times (an alias bomb?); write the values out`,
        },
      ],
      file,
    );
  }
}

/** Line of the field's node, or of its closest existing parent (a missing field has no node). */
function lineOf(doc: Document, path: FieldPath, lineCounter: LineCounter): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range !== undefined) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}
