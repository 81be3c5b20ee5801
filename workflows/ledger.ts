import { isCancellation, patched, uuid4 } from '@temporalio/workflow';
import type { AssetView } from '../core/session';
import type { Stage } from '../core/stages';
import type { SessionContext } from './context';
import {
  addCost,
  assetProgress,
  failureCode,
  failureCost,
  failureMessage,
  replaceAsset,
} from './state';
import { PATCHES } from './patches';

/**
 * Generates assets in parallel. Each success is recorded and paid for once; a failed asset stays
 * in the list as `failed`, with its reason. With `keepGoing`, the stage goes on when at least one
 * asset of the list is ready (the person sees the failed tiles and can retry them alone);
 * otherwise the first failure is rethrown after every sibling has settled, so finished siblings
 * are kept.
 */
export async function generateEach(
  ctx: SessionContext,
  todo: AssetView[],
  stage: Stage,
  agent: string,
  list: AssetView[],
  make: (asset: AssetView) => Promise<AssetView>,
  options: { keepGoing?: boolean } = {},
): Promise<AssetView[]> {
  const { state } = ctx;
  for (const asset of todo) {
    asset.status = 'generating';
    asset.error = undefined;
  }
  state.progress = assetProgress(list);
  ctx.touch();
  await ctx.sync();
  const results = await Promise.allSettled(
    todo.map(async (asset) => {
      const started = Date.now();
      try {
        // What the workflow knows of the asset (its prompt, which asset it is a variant of)
        // stays with it when the activity does not say.
        const result = await make(asset);
        const made = {
          ...result,
          status: 'ready' as const,
          ...(!result.prompt && asset.prompt ? { prompt: asset.prompt } : {}),
          ...(asset.variantOf ? { variantOf: asset.variantOf } : {}),
        };
        // What earlier failed attempts of this asset cost is in the ledger already.
        const newlyPaid = Math.max(0, made.costUsd - asset.costUsd);
        const cost = {
          sessionId: state.sessionId,
          stage,
          agent,
          provider: made.provider ?? state.options.provider,
          model: made.model ?? 'unknown',
          costUsd: newlyPaid,
          durationMs: made.generationMs ?? Date.now() - started,
          success: true,
          idempotencyKey: `${state.sessionId}:${made.id}`,
        };
        // One write per result; runs from before this change made two, and replay that way.
        if (patched(PATCHES.oneWritePerResult.id)) {
          await ctx.records().recordResult({ sessionId: state.sessionId, assets: [made], cost });
        } else {
          await ctx.records().recordAsset({ sessionId: state.sessionId, asset: made });
          await ctx.records().recordCost(cost);
        }
        addCost(state, stage, newlyPaid);
        ctx.knownModels[agent] = made.model;
        replaceAsset(list, made);
        state.progress = assetProgress(list);
        ctx.touch();
        await ctx.sync();
        return made;
      } catch (error) {
        if (isCancellation(error)) throw error;
        // A provider may bill a failed run (GPU time): the failure says what the asset cost.
        const spent = Math.max(asset.costUsd, failureCost(error));
        const newlyPaid = spent - asset.costUsd;
        const failed = {
          ...asset,
          status: 'failed' as const,
          error: failureMessage(error),
          errorCode: failureCode(error),
          costUsd: spent,
        };
        replaceAsset(list, failed);
        addCost(state, stage, newlyPaid);
        await ctx
          .records()
          .recordCost({
            sessionId: state.sessionId,
            stage,
            agent,
            provider: state.options.provider,
            model: ctx.knownModels[agent] ?? agent,
            costUsd: newlyPaid,
            durationMs: Date.now() - started,
            success: false,
            error: failed.error,
            idempotencyKey: `${state.sessionId}:${asset.id}:failed:${uuid4()}`,
          })
          .catch(() => undefined);
        throw error;
      }
    }),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    const someReady = options.keepGoing === true && list.some((a) => a.status === 'ready');
    // Runs from before this change parked the whole session; their histories replay that way.
    if (!someReady || !patched(PATCHES.partialFailure.id)) throw failure.reason;
    state.progress = assetProgress(list);
    ctx.touch();
  }
  return results.flatMap((r): AssetView[] => (r.status === 'fulfilled' ? [r.value] : []));
}

/** Counts a planning call against the budget and records it in the ledger, once. */
export async function payForPlan(
  ctx: SessionContext,
  stage: Stage,
  job: string,
  plan: { provider: string; model: string; costUsd: number; durationMs: number },
) {
  addCost(ctx.state, stage, plan.costUsd);
  await ctx.records().recordCost({
    sessionId: ctx.state.sessionId,
    stage,
    agent: 'planner',
    provider: plan.provider,
    model: plan.model,
    costUsd: plan.costUsd,
    durationMs: plan.durationMs,
    success: true,
    idempotencyKey: `${ctx.state.sessionId}:${job}`,
  });
}

/** Marks regenerated-away assets as replaced in the database and drops them from state. */
export async function retireReplaced(ctx: SessionContext, list: AssetView[]) {
  const replaced = list.filter((a) => a.status === 'replaced');
  await Promise.all(
    replaced.map((asset) => ctx.records().recordAsset({ sessionId: ctx.state.sessionId, asset })),
  );
  return list.filter((a) => a.status !== 'replaced');
}
