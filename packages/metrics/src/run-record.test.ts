import { describe, expect, it } from 'vitest';
import { InvalidRunRecordError } from './errors.js';
import { runMetrics } from './run-metrics.js';
import { type CompletedRunRecord, parseRunRecord, safeParseRunRecord } from './run-record.js';
import { runRecordJson } from './testing/run-record-fixture.js';

/** The issues `parseRunRecord` reports for `json`, read from `file`. */
function issuesOf(json: unknown, file = 'runs/r1/run.json'): readonly string[] {
  const parsed = safeParseRunRecord(json, file);
  if (parsed.ok) throw new Error('expected the record to be rejected');
  expect(parsed.error.message.startsWith(`${file}: invalid run record: `)).toBe(true);
  return parsed.error.issues;
}

describe('runRecordSchema', () => {
  it('accepts a record of each status', () => {
    for (const status of ['completed', 'failed', 'running', 'stopped-early-by-scheduler']) {
      expect(parseRunRecord(runRecordJson({ status }), 'run.json').status).toBe(status);
    }
  });

  it('survives a JSON round trip', () => {
    const record = parseRunRecord(JSON.parse(JSON.stringify(runRecordJson())), 'run.json');
    expect(record.status === 'completed' && record.test.shape?.accuracy).toBe(1);
  });

  it('throws an InvalidRunRecordError naming the source file and field', () => {
    const json = { ...runRecordJson(), backend: '' };
    expect(() => parseRunRecord(json, 'runs/r1/run.json')).toThrow(InvalidRunRecordError);
    expect(() => parseRunRecord(json, 'runs/r1/run.json')).toThrow(
      /^runs\/r1\/run\.json: invalid run record: backend:/,
    );
  });

  it('rejects a partial completed record (no test metrics, no model)', () => {
    const { test: _test, modelPath: _model, ...partial } = runRecordJson();
    const issues = issuesOf(partial);
    expect(issues.some((issue) => issue.startsWith('test:'))).toBe(true);
    expect(issues.some((issue) => issue.startsWith('modelPath:'))).toBe(true);
  });

  it('rejects a NaN metric (null once written as JSON)', () => {
    const json = JSON.parse(JSON.stringify(runRecordJson()));
    json.test.shape.macro.f1 = null;
    expect(issuesOf(json)).toEqual([expect.stringMatching(/^test\.shape\.macro\.f1: /)]);
  });

  it('rejects a non-finite per-epoch figure, naming the epoch', () => {
    const json = JSON.parse(JSON.stringify(runRecordJson()));
    json.history[1].val.loss = null;
    expect(issuesOf(json)).toEqual(['history.1.val: must map metric names to finite numbers']);
  });

  it('keeps each epoch’s loss weights and task conflict, and checks them like the metrics', () => {
    const json = JSON.parse(JSON.stringify(runRecordJson()));
    json.history[0].lossWeights = { position: 0.8, shape: 1.2, colour: 1 };
    expect(parseRunRecord(json, 'run.json').history[0]?.lossWeights).toEqual({
      position: 0.8,
      shape: 1.2,
      colour: 1,
    });
    json.history[0].lossWeights.shape = null;
    expect(issuesOf(json)).toEqual(['history.0.lossWeights: must map metric names to finite numbers']);
  });

  it('rejects an unknown version, status or field', () => {
    expect(issuesOf({ ...runRecordJson(), version: 2 })[0]).toMatch(/^version: /);
    expect(issuesOf({ ...runRecordJson(), status: 'done' })[0]).toMatch(/^status: /);
    expect(issuesOf({ ...runRecordJson(), accuracy: 1 })[0]).toMatch(/accuracy/);
  });

  it('rejects a bad sha256, a confusion matrix of the wrong size and gaps in the history', () => {
    const json = JSON.parse(JSON.stringify(runRecordJson()));
    json.dataset.sha256 = 'xyz';
    json.test.colour.confusion.pop();
    json.history[1].epoch = 3;
    const issues = issuesOf(json);
    expect(issues).toContainEqual(expect.stringMatching(/^dataset\.sha256: /));
    expect(issues).toContainEqual('test.colour.confusion: must be 6×6 (one row per label)');
    expect(issues).toContainEqual('history: epochs must run 1, 2, 3, … without gaps');
  });

  it('rejects an end before the start and a running record with no config', () => {
    expect(issuesOf({ ...runRecordJson(), endedAt: '2024-12-31T00:00:00Z' })).toEqual([
      'endedAt: is before startedAt',
    ]);
    const { config: _config, ...noConfig } = runRecordJson({ status: 'running' });
    expect(issuesOf(noConfig)[0]).toMatch(/^config: /);
  });
});

describe('a single-task run (one head)', () => {
  /** A completed record of `runRecordJson` with only `head`'s test metrics, as an stl-* run writes it. */
  function oneHead(head: 'position' | 'shape' | 'colour') {
    const json = JSON.parse(JSON.stringify(runRecordJson({ config: { arch: `stl-${head}` } }))) as {
      test: Record<string, unknown>;
    };
    for (const other of ['position', 'shape', 'colour']) if (other !== head) delete json.test[other];
    return json;
  }

  it('is accepted with only its head, and its metrics lack the absent heads (not 0)', () => {
    const record = parseRunRecord(oneHead('shape'), 'run.json') as CompletedRunRecord;
    expect(Object.keys(record.test)).toEqual(['imageSize', 'shape']);
    const metrics = runMetrics(record);
    expect(metrics.shape_acc).toBe(1);
    expect(metrics).not.toHaveProperty('position_mae_px');
    expect(metrics).not.toHaveProperty('colour_acc');
    // combined over the heads it has: 100 × (1 − shape_acc) alone.
    expect(metrics.combined).toBe(0);
    const position = runMetrics(parseRunRecord(oneHead('position'), 'run.json') as CompletedRunRecord);
    expect(position.combined).toBe(2);
    expect(position).not.toHaveProperty('shape_acc');
  });

  it('rejects a completed record with no head at all, and zeros in place of a head', () => {
    const json = oneHead('colour');
    delete json.test.colour;
    expect(issuesOf(json)).toEqual(['test: must score at least one head (position, shape, colour)']);
    const zeros = oneHead('colour');
    zeros.test.shape = 0;
    expect(issuesOf(zeros)[0]).toMatch(/^test\.shape: /);
  });
});
