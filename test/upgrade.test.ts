import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MUSIC_GENRES } from '../core/options';
import { migrate } from '../db/migrate';
import { auditSession } from '../scripts/lib/audit';
import { listSnapshots } from '../scripts/lib/snapshot/files';
import { sha256Of } from '../scripts/lib/snapshot/files';
import { checkServerNeeds, isSatisfied } from '../worker/temporal-setup';
import { startProcess } from '../scripts/lib/processes';
import { createTestApi, tokenFor } from './support/api';
import { madeBefore, restoreSnapshot, type SessionView } from './support/upgrade';

/**
 * Upgrading over a release's data (test/snapshots/<release>/, made by `npm run snapshot`): its
 * database, Temporal's history and its files are restored into fresh services as that release
 * left them, the operator's pre-deploy check runs, then today's worker and API start on them and
 * every session is carried to a finished ad as its owner would, through the API. Nothing may
 * answer 5xx, and nothing made or paid before the upgrade may be made or paid again.
 */
const snapshots = await listSnapshots();
const root = join(import.meta.dirname, '..');
const run = promisify(execFile);

/** `npm run session -- replay --all-open`, as the operator runs it before a deploy. */
async function preDeployCheck(env: Record<string, string>) {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'session.ts'), 'replay', '--all-open'],
      { cwd: root, env: { ...process.env, ...env } },
    );
    return { ok: true, output: stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('upgrading a release’s data with the current code', () => {
  it('has a snapshot of the release named in issue 14 (7a7e8f3)', () => {
    expect(snapshots.map((s) => s.manifest.release.slice(0, 7))).toContain('7a7e8f3');
  });

  describe.each(snapshots.map((s) => [s.manifest.release.slice(0, 7), s] as const))(
    'release %s',
    (release, snapshot) => {
      const stops: Array<() => Promise<unknown>> = [];
      afterAll(async () => {
        for (const stop of stops.reverse()) await stop();
      });

      it(
        'passes the pre-deploy check once a worker has started, and finishes every session',
        {
          timeout: 20 * 60_000,
        },
        async () => {
          const restored = await restoreSnapshot(snapshot);
          stops.push(() => restored.stop());
          const { db, storageDir } = restored;
          const env = {
            DATABASE_URL: restored.databaseUrl,
            TEMPORAL_ADDRESS: restored.temporalAddress,
            TEMPORAL_NAMESPACE: 'default',
            WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
          };

          // Before the deploy: the check fails exactly when the server lacks what the code needs
          // (issue 14: 7a7e8f3's Temporal has no search attributes; it said "0 nondeterministic").
          const connection = await Connection.connect({ address: restored.temporalAddress });
          stops.push(() => connection.close());
          const before = await checkServerNeeds(connection, 'default');
          const check = await preDeployCheck(env);
          expect(check.output).toMatch(/replayed \d+ open sessions, 0 nondeterministic/);
          expect(check.ok).toBe(isSatisfied(before));
          if (release === '7a7e8f3') {
            expect(before.missing).toContain('AdUserId=Keyword');
            expect(check.output).toMatch(/^NOT READY: .*lacks the search attributes .*AdUserId/m);
          }

          // The deploy: migrations, then today's worker process (which registers what the server
          // lacks) and API. Modest concurrency: the machine runs other tests beside this one.
          await migrate(restored.databaseUrl);
          const worker = startProcess(
            'worker',
            process.execPath,
            ['--import', 'tsx', 'test/support/worker-process.ts'],
            {
              cwd: root,
              quiet: true,
              env: {
                ...process.env,
                ...env,
                STORAGE_DIR: storageDir,
                WORK_DIR: restored.workDir,
                ACTIVITY_CONCURRENCY: '2',
                RENDER_CONCURRENCY: '1',
                LOG_LEVEL: 'warn',
              },
            },
          );
          stops.push(() => worker.stop());
          await worker.waitFor(/^ready$/, 120_000);
          expect(isSatisfied(await checkServerNeeds(connection, 'default'))).toBe(true);
          const after = await preDeployCheck(env);
          expect(after.output).not.toMatch(/NOT READY/);
          expect(after.ok).toBe(true);

          const api = await createTestApi(db, restored.databaseUrl, {
            TEMPORAL_ADDRESS: restored.temporalAddress,
            STORAGE_DIR: storageDir,
          });
          stops.push(api.close);
          const owner = await db.user.findUniqueOrThrow({
            where: { email: snapshot.manifest.user.email },
          });
          const token = await tokenFor(db, owner);
          const statuses: number[] = [];
          const request = async (method: string, path: string, body?: unknown) => {
            const response = await api.app.request(`/api${path}`, {
              method,
              headers: {
                authorization: `Bearer ${token}`,
                ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              },
              body: body === undefined ? undefined : JSON.stringify(body),
            });
            statuses.push(response.status);
            const json = (await response.json()) as SessionView & { error?: { code: string } };
            if (!response.ok) {
              throw new Error(
                `${method} ${path}: ${response.status} ${JSON.stringify(json.error)}`,
              );
            }
            return json;
          };

          const sessions = snapshot.manifest.sessions;
          const made = new Map(
            await Promise.all(
              sessions.map(
                async (s) => [s.sessionId, await madeBefore(db, storageDir, s.sessionId)] as const,
              ),
            ),
          );
          const finished = await Promise.all(
            sessions.map((s) => carryToFinish(request, s.sessionId, s.stage)),
          );

          const figures = {
            release,
            upgraded: sessions.length,
            finished: finished.filter((state) => state.stage === 'completed').length,
            fiveHundreds: statuses.filter((s) => s >= 500).length,
            requests: statuses.length,
          };
          console.log(
            `upgrade ${release}: ${figures.upgraded} sessions upgraded, ${figures.finished} finished, ${figures.fiveHundreds} 5xx in ${figures.requests} requests`,
          );
          expect(figures.fiveHundreds).toBe(0);
          expect(figures.finished).toBe(sessions.length);

          for (const { sessionId } of sessions) {
            // Nothing lost or made twice, by the same audit as `npm run faults`.
            expect(await auditSession(db, storageDir, sessionId)).toEqual({
              lost: [],
              duplicated: [],
            });
            // What the release had made is kept as it was: same files, same ledger entries.
            const before = made.get(sessionId)!;
            for (const [assetId, sha256] of before.files) {
              const asset = await db.asset.findUniqueOrThrow({ where: { id: assetId } });
              expect(['ready', 'replaced']).toContain(asset.status);
              expect(await sha256Of(join(storageDir, asset.storageKey!))).toBe(sha256);
            }
            const ledger = await db.generationCost.findMany({ where: { sessionId } });
            const ids = new Set(ledger.map((c) => c.id));
            for (const id of before.ledgerIds) expect(ids.has(id)).toBe(true);
          }
        },
      );
    },
  );
});

type Request = (method: string, path: string, body?: unknown) => Promise<SessionView>;

/**
 * What the session's owner does next, until the ad is finished; a finished ad is composed again
 * with new text (a new render of the same clips), as in issue 14.
 */
async function carryToFinish(request: Request, id: string, parkedAt: string) {
  const deadline = Date.now() + 15 * 60_000;
  let finalBefore: string | undefined;
  let recomposed = parkedAt !== 'completed';
  let lastVersion = -1;
  let pause = 100;
  for (;;) {
    const state = await request('GET', `/sessions/${id}`);
    if (Date.now() > deadline) throw new Error(`${id} is still ${state.stage}`);
    const ready = (list: SessionView['images']) =>
      list.filter((a) => a.status === 'ready').map((a) => a.id);
    switch (state.stage) {
      case 'awaiting_plan_approval':
        await request('POST', `/sessions/${id}/plan/approve`, { style: state.style, prompts: [] });
        break;
      case 'awaiting_image_approval':
        await request('POST', `/sessions/${id}/images/approve`, {
          imageIds: ready(state.images).slice(0, 2),
          videoPrompt: 'The product turns slowly in warm light',
        });
        break;
      case 'awaiting_clip_approval':
        await request('POST', `/sessions/${id}/clips/approve`, { clipIds: ready(state.clips) });
        break;
      case 'awaiting_composition':
        await request('POST', `/sessions/${id}/compose`, composition('Order yours today'));
        break;
      case 'failed':
        await request('POST', `/sessions/${id}/retry`, {});
        break;
      case 'completed':
        if (recomposed && state.final?.id !== finalBefore) return state;
        if (!recomposed) {
          finalBefore = state.final?.id;
          recomposed = true;
          await request('POST', `/sessions/${id}/compose`, composition('Now with free delivery'));
        }
        break;
      case 'cancelled':
      case 'expired':
        throw new Error(`${id} ended ${state.stage}`);
      default:
        // A machine step is under way: read again, sooner when something changed.
        pause = state.version === lastVersion ? Math.min(pause * 2, 1000) : 100;
        lastVersion = state.version;
        await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function composition(callToAction: string) {
  return {
    productName: 'Red Mug',
    callToAction,
    colors: { primary: '#7a1020', accent: '#f4c430', text: '#ffffff' },
    music: { enabled: true, genre: MUSIC_GENRES[0] },
  };
}
