import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../core/session';
import { createUser } from '../test/support/api';
import { createTestDatabase } from '../test/support/database';
import { sessionInput } from '../test/support/worker';
import { initialState } from '../workflows/state';
import { writeSessionState } from './session-state';

/**
 * The session row answers reads, and two writers keep it (the worker at each step, the API with
 * each action's answer), in whatever order their writes land: the newest version always wins.
 */
describe('writeSessionState', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let state: SessionState;

  beforeAll(async () => {
    database = await createTestDatabase();
    const user = await createUser(database.db, 'rows@example.com', 'password-123');
    state = initialState(sessionInput(user.id, 'render'), new Date().toISOString());
  });
  afterAll(async () => {
    await database.drop();
  });

  const stored = async () =>
    (
      await database.db.session.findUniqueOrThrow({
        where: { id: state.sessionId },
        select: { stage: true, state: true },
      })
    ).state as unknown as SessionState;

  it('creates the row, then moves it forward and never back', async () => {
    await writeSessionState(database.db, { ...state, stage: 'generating_images', version: 3 });
    expect((await stored()).version).toBe(3);

    await writeSessionState(database.db, {
      ...state,
      stage: 'awaiting_image_approval',
      version: 5,
    });
    // A late write of an older state (a retried activity, a slow API instance) changes nothing.
    await writeSessionState(database.db, { ...state, stage: 'generating_images', version: 4 });
    const row = await database.db.session.findUniqueOrThrow({ where: { id: state.sessionId } });
    expect([row.stage, (row.state as unknown as SessionState).version]).toEqual([
      'awaiting_image_approval',
      5,
    ]);
  });

  it('takes over a row that has no state yet (written before rows kept it)', async () => {
    await database.db
      .$executeRaw`UPDATE sessions SET state = NULL, stage = 'planning_scenes' WHERE id = ${state.sessionId}`;
    await writeSessionState(database.db, { ...state, stage: 'generating_clips', version: 1 });
    expect((await stored()).stage).toBe('generating_clips');
  });
});
