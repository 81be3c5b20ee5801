import type { SessionState } from '../core/session';
import type { Db } from './client';
import { Prisma } from './generated/client';

const json = (value: unknown) => value as Prisma.InputJsonValue;
const jsonOrNull = (value: unknown) => (value === undefined ? Prisma.DbNull : json(value));

/** The session row's columns for a state, the whole state included. */
function columnsOf(state: SessionState) {
  return {
    title: state.title,
    stage: state.stage,
    productPrompt: state.productPrompt,
    videoPrompt: state.videoPrompt ?? null,
    seed: state.seed ?? null,
    style: jsonOrNull(state.style),
    options: json(state.options),
    selections: json({
      approvedImageIds: state.approvedImageIds,
      approvedClipIds: state.approvedClipIds,
    }),
    composition: jsonOrNull(state.composition),
    budgetUsd: state.options.budgetUsd,
    totalCostUsd: state.costs.totalUsd,
    finalAssetId: state.final?.status === 'ready' ? state.final.id : null,
    lastError: jsonOrNull(state.lastError),
    completedAt: state.stage === 'completed' ? new Date(state.updatedAt) : null,
    // All of it, so the API can serve the session without asking (or after) its workflow.
    state: json(state),
  };
}

/**
 * Writes a session's state to its row unless the row already holds a newer one. Both the worker
 * (at each step) and the API (with the answer of each action) write it, possibly out of order
 * (a retried activity, two API instances): the state's version decides, so the row never goes
 * back in time.
 */
export async function writeSessionState(db: Db, state: SessionState): Promise<void> {
  const row = columnsOf(state);
  const { count } = await db.session.updateMany({
    where: {
      id: state.sessionId,
      OR: [
        { state: { equals: Prisma.AnyNull } },
        { state: { path: ['version'], lte: state.version } },
      ],
    },
    data: row,
  });
  if (count > 0) return;
  try {
    await db.session.create({
      data: {
        id: state.sessionId,
        userId: state.userId,
        createdAt: new Date(state.createdAt),
        ...row,
      },
    });
  } catch (error) {
    // The row exists (with a newer state, or made by a concurrent write): nothing to do.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return;
    throw error;
  }
}
