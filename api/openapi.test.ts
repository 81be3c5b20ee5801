import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionStateSchema } from '../core/session';
import { createLogger } from '../core/log';
import { createStorage } from '../storage';
import { createApp } from './app';
import { loadApiConfig } from './config';

/**
 * The API's contract as its OpenAPI document states it, read from an app built on parts that are
 * never reached (no database, no Temporal): the document and the sign-in gate answer without them.
 */
async function documentedApp() {
  const config = loadApiConfig({
    DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:9/none',
    JWT_SECRET: 'unit-test-secret-that-is-long-enough-0123456789',
    STORAGE_DIR: await mkdtemp(join(tmpdir(), 'openapi-')),
    LOG_LEVEL: 'error',
  });
  const app = createApp({
    config,
    db: new Proxy({}, { get: () => unreachable() }) as never,
    storage: createStorage(config, config.JWT_SECRET),
    temporal: () => Promise.reject(new Error('This test reaches no service.')),
    log: createLogger('openapi-test', 'error'),
  });
  return app;
}

function unreachable(): never {
  throw new Error('This test reaches no service.');
}

interface Document {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

const documentOf = async (app: Awaited<ReturnType<typeof documentedApp>>) =>
  (await (await app.request('/api/openapi.json')).json()) as Document;

describe('the OpenAPI document', () => {
  it("describes the session view field by field: the state's own and the signed links", async () => {
    const doc = await documentOf(await documentedApp());
    const session = doc.components.schemas.Session!;
    expect(Object.keys(session.properties ?? {})).toEqual(
      expect.arrayContaining([
        ...Object.keys(SessionStateSchema.shape),
        'urls',
        'downloadUrl',
        'linksExpireAt',
      ]),
    );
    expect((session.properties!.stage as { enum: string[] }).enum).toContain('completed');
    expect(doc.components.schemas.Asset?.properties).toHaveProperty('storageKey');
    const read = doc.paths['/sessions/{id}']!.get as unknown as {
      responses: Record<string, { content: Record<string, { schema: unknown }> }>;
    };
    expect(read.responses['200']!.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/Session',
    });
  });
});
