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

/** Routes outside the document that anyone may call: its own page, and files behind signed links. */
const PUBLIC_UNDOCUMENTED = [
  'GET /api/openapi.json',
  'GET /api/docs',
  'GET /api/docs/assets/:name',
  'GET /api/files/*',
];

describe('signing in', () => {
  it('guards every route the API serves, except those declared public', async () => {
    const app = await documentedApp();
    const doc = await documentOf(app);
    const declaredPublic = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security?.length === 0)
        .map(([method]) => `${method.toUpperCase()} /api${path.replaceAll(/{(\w+)}/g, ':$1')}`),
    );
    expect(declaredPublic).toEqual(
      expect.arrayContaining([
        'GET /api/health',
        'POST /api/auth/login',
        'POST /api/webhooks/replicate',
      ]),
    );
    const served = [
      ...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`)),
    ];
    const guarded = served.filter(
      (route) => !declaredPublic.includes(route) && !PUBLIC_UNDOCUMENTED.includes(route),
    );
    expect(guarded).toEqual(expect.arrayContaining(['GET /api/sessions/:id', 'POST /api/uploads']));
    const answers = await Promise.all(
      guarded.map(async (route) => {
        const [method, path] = route.split(' ') as [string, string];
        const response = await app.request(path.replaceAll(/:\w+|\*/g, 'x'), {
          method,
          ...(method === 'GET'
            ? {}
            : { headers: { 'content-type': 'application/json' }, body: '{}' }),
        });
        return `${route} ${response.status}`;
      }),
    );
    expect(answers).toEqual(guarded.map((route) => `${route} 401`));
  });
});
