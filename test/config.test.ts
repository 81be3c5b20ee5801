import { describe, expect, it } from 'vitest';
import { loadApiConfig } from '../api/config';
import { ConfigError } from '../core/env';
import { loadStackConfig } from '../scripts/lib/stack-config';
import { loadWorkerConfig } from '../worker/config';

const SECRET = 'x'.repeat(32);

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('configuration', () => {
  it('names every missing required variable of the API', () => {
    const problems = problemsOf(() => loadApiConfig({}));
    expect(problems).toEqual(
      expect.arrayContaining([
        'DATABASE_URL is required but not set',
        'JWT_SECRET is required but not set',
      ]),
    );
  });

  it('rejects invalid values, naming the variable', () => {
    const problems = problemsOf(() =>
      loadApiConfig({ DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', API_PORT: 'eighty' }),
    );
    expect(problems.some((p) => p.startsWith('DATABASE_URL:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('JWT_SECRET:') && p.includes('32'))).toBe(true);
    expect(problems.some((p) => p.startsWith('API_PORT:'))).toBe(true);
  });

  it('applies defaults and treats empty values as unset', () => {
    const config = loadApiConfig({
      DATABASE_URL: 'postgresql://u@h/db',
      JWT_SECRET: SECRET,
      API_PORT: '',
    });
    expect(config.API_PORT).toBe(8787);
    expect(config.STORAGE_DRIVER).toBe('fs');
    expect(config.TEMPORAL_TASK_QUEUE).toBe('studio');
  });

  it('requires a bucket only when the s3 driver is chosen', () => {
    expect(
      problemsOf(() => loadWorkerConfig({ DATABASE_URL: 'postgres://h/db', STORAGE_DRIVER: 's3' })),
    ).toEqual(['S3_BUCKET: is required when STORAGE_DRIVER=s3']);
    expect(loadWorkerConfig({ DATABASE_URL: 'postgres://h/db' }).STORAGE_DRIVER).toBe('fs');
  });

  it('requires a Replicate token only for the replicate provider', () => {
    expect(
      problemsOf(() =>
        loadWorkerConfig({ DATABASE_URL: 'postgres://h/db', PROVIDER: 'replicate' }),
      ),
    ).toEqual(['REPLICATE_API_TOKEN: is required when PROVIDER=replicate']);
  });

  it('reads the idle timeout of sessions as a duration', () => {
    const base = { DATABASE_URL: 'postgres://h/db', JWT_SECRET: SECRET };
    expect(loadApiConfig(base).SESSION_IDLE_TIMEOUT).toBe(30 * 86_400_000);
    expect(loadApiConfig({ ...base, SESSION_IDLE_TIMEOUT: '90m' }).SESSION_IDLE_TIMEOUT).toBe(
      90 * 60_000,
    );
    expect(problemsOf(() => loadApiConfig({ ...base, SESSION_IDLE_TIMEOUT: 'soon' }))[0]).toMatch(
      /^SESSION_IDLE_TIMEOUT:/,
    );
  });

  it('lets npm start run with nothing set', () => {
    const config = loadStackConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.WEB_PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('data');
  });
});
