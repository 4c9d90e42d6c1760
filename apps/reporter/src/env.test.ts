import { EnvError } from '@repo/contracts';
import { describe, expect, it } from 'vitest';
import { readReporterEnv } from './env.js';

describe('readReporterEnv', () => {
  it('runs the worker alone on 127.0.0.1:8080 by default', () => {
    expect(readReporterEnv({}, [])).toMatchObject({
      REPORTER_MODE: 'worker',
      REPORTER_HOST: '127.0.0.1',
      REPORTER_PORT: 8080,
    });
  });

  it('takes --mode, --host and --port over the environment', () => {
    const env = { REPORTER_MODE: 'server', REPORTER_HOST: '10.0.0.1', REPORTER_PORT: '9000' };
    expect(readReporterEnv(env, [])).toMatchObject({ REPORTER_MODE: 'server', REPORTER_PORT: 9000 });
    expect(readReporterEnv(env, ['--mode', 'both', '--host', '0.0.0.0', '--port', '8081'])).toMatchObject({
      REPORTER_MODE: 'both',
      REPORTER_HOST: '0.0.0.0',
      REPORTER_PORT: 8081,
    });
  });

  it('names a bad value or an unknown option', () => {
    expect(() => readReporterEnv({}, ['--port', '70000'])).toThrow(/REPORTER_PORT/);
    expect(() => readReporterEnv({ REPORTER_MODE: 'web' }, [])).toThrow(EnvError);
    expect(() => readReporterEnv({}, ['--verbose'])).toThrow(/bad arguments: .*--verbose/);
  });
});
