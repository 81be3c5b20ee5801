import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { percentile } from './measure';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * What the worker did under load, read from the sessions' own histories (every run of each):
 * how long workflow tasks waited for a worker (schedule-to-start) and took (start-to-close), how
 * long activities waited on each task queue, how long renders ran, and the workflow tasks that
 * timed out or failed (each one is redone, and a slow one is what starves a session).
 */
export async function workerFigures(address: string, sessionIds: string[]) {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const workflowWait: number[] = [];
  const workflowRun: number[] = [];
  const workflowTotal: number[] = [];
  const firstTasks: number[] = [];
  const laterTasks: number[] = [];
  const activityWait = new Map<string, number[]>();
  const renders: number[] = [];
  /** Each activity type's run times (start-to-close), to see where the studio's time goes. */
  const activityRun = new Map<string, number[]>();
  let timedOut = 0;
  let failed = 0;
  try {
    for (const id of sessionIds) {
      for await (const run of client.workflow.list({ query: `WorkflowId = '${id}'` })) {
        const events = (await client.workflow.getHandle(id, run.runId).fetchHistory()).events ?? [];
        const at = new Map<string, HistoryEvent>();
        let firstTask = true;
        for (const event of events) {
          at.set(String(event.eventId), event);
          const time = tsToMs(event.eventTime);
          const since = (eventId: unknown) => time - tsToMs(at.get(String(eventId))?.eventTime);
          if (event.workflowTaskStartedEventAttributes) {
            workflowWait.push(since(event.workflowTaskStartedEventAttributes.scheduledEventId));
          } else if (event.workflowTaskCompletedEventAttributes) {
            const { scheduledEventId, startedEventId } = event.workflowTaskCompletedEventAttributes;
            workflowRun.push(since(startedEventId));
            workflowTotal.push(since(scheduledEventId));
            // A run's first task builds the workflow from scratch (and arrives with every other
            // session started at the same moment); the rest run on the worker's cached workflow.
            (firstTask ? firstTasks : laterTasks).push(since(scheduledEventId));
            firstTask = false;
          } else if (event.workflowTaskTimedOutEventAttributes) timedOut += 1;
          else if (event.workflowTaskFailedEventAttributes) failed += 1;
          else if (event.activityTaskStartedEventAttributes) {
            const scheduled = at.get(
              String(event.activityTaskStartedEventAttributes.scheduledEventId),
            );
            const queue =
              scheduled?.activityTaskScheduledEventAttributes?.taskQueue?.name ?? 'unknown';
            activityWait.set(queue, [
              ...(activityWait.get(queue) ?? []),
              time - tsToMs(scheduled?.eventTime),
            ]);
          } else if (event.activityTaskCompletedEventAttributes) {
            const { scheduledEventId, startedEventId } = event.activityTaskCompletedEventAttributes;
            const type = at.get(String(scheduledEventId))?.activityTaskScheduledEventAttributes
              ?.activityType?.name;
            if (type === 'renderVideo') renders.push(since(startedEventId));
            if (type)
              activityRun.set(type, [...(activityRun.get(type) ?? []), since(startedEventId)]);
          }
        }
      }
    }
  } finally {
    await connection.close();
  }
  const ms = (values: number[], p: number) => `${percentile(values, p).toFixed(0)} ms`;
  return {
    workflowTaskP99Ms: percentile(workflowTotal, 99),
    lines: [
      `  Workflow tasks  ${workflowTotal.length}: schedule-to-close p50 ${ms(workflowTotal, 50)}, p99 ${ms(workflowTotal, 99)}; waiting for a worker p99 ${ms(workflowWait, 99)}, running p99 ${ms(workflowRun, 99)}; ${timedOut} timed out, ${failed} failed`,
      `    a run's first task ${firstTasks.length}: p50 ${ms(firstTasks, 50)}, p99 ${ms(firstTasks, 99)}; every later task ${laterTasks.length}: p50 ${ms(laterTasks, 50)}, p99 ${ms(laterTasks, 99)}`,
      '  Activities waiting for a worker (schedule-to-start)        p50       p95       p99',
      ...[...activityWait].map(
        ([queue, waits]) =>
          `    ${queue.slice(-44).padEnd(44)} ${String(waits.length).padStart(5)}  ${ms(waits, 50).padStart(8)}  ${ms(waits, 95).padStart(8)}  ${ms(waits, 99).padStart(8)}`,
      ),
      '  Activities running (start-to-close), by total time       count     total       p50       p95',
      ...[...activityRun]
        .map(([type, runs]) => [type, runs, runs.reduce((a, b) => a + b, 0)] as const)
        .sort((a, b) => b[2] - a[2])
        .map(
          ([type, runs, total]) =>
            `    ${type.slice(-44).padEnd(44)} ${String(runs.length).padStart(5)}  ${`${(total / 1000).toFixed(0)} s`.padStart(8)}  ${ms(runs, 50).padStart(8)}  ${ms(runs, 95).padStart(8)}`,
        ),
      `  Renders         ${renders.length}: p50 ${(percentile(renders, 50) / 1000).toFixed(1)} s, p95 ${(percentile(renders, 95) / 1000).toFixed(1)} s (renderVideo start-to-close)`,
    ],
  };
}
