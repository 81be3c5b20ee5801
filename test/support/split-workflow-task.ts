import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Gives the events of a recorded history from `eventId` on a workflow task of their own: the
 * shape a workflow task heartbeat leaves when it closes the task between a local activity's
 * marker and the commands the workflow sent after that activity's result (issue 19). Made
 * test/histories/overload-before-patch-marker-a-task-after-the-local-activity.json from
 * overload-before-a-session-whose-last-write-is-slow.json (event 192, the patch marker):
 *
 *   node --import tsx test/support/split-workflow-task.ts <in.json> <eventId> <out.json>
 */
interface HistoryEvent {
  eventId: string;
  eventTime: string;
  eventType: string;
  taskId?: string;
  [attributes: string]: unknown;
}

const [source, at, target] = process.argv.slice(2);
if (!source || !at || !target) throw new Error('usage: <in.json> <eventId> <out.json>');
const first = Number(at);
const history = JSON.parse(readFileSync(source, 'utf8')) as { events: HistoryEvent[] };
const { events } = history;

// Every event id from `first` on, and every reference to one, moves three places on.
const shift = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(shift);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) =>
      /[eE]ventId$/.test(key) && typeof v === 'string' && Number(v) >= first
        ? [key, String(Number(v) + 3)]
        : [key, shift(v)],
    ),
  );
};
const shifted = events.map((e) => shift(e) as HistoryEvent);
const index = shifted.findIndex((e) => Number(e.eventId) === first + 3);
const before = shifted[index - 1]!;
const find = (type: string) => shifted.find((e) => e.eventType === `EVENT_TYPE_${type}`)!;
const event = (offset: number, type: string, attributes: Record<string, unknown>) => ({
  eventId: String(first + offset),
  eventTime: before.eventTime,
  eventType: `EVENT_TYPE_WORKFLOW_TASK_${type}`,
  taskId: before.taskId,
  ...attributes,
});
const scheduled = find('WORKFLOW_TASK_SCHEDULED').workflowTaskScheduledEventAttributes;
const completed = find('WORKFLOW_TASK_COMPLETED').workflowTaskCompletedEventAttributes as object;
shifted.splice(
  index,
  0,
  event(0, 'SCHEDULED', { workflowTaskScheduledEventAttributes: scheduled }),
  event(1, 'STARTED', {
    workflowTaskStartedEventAttributes: { scheduledEventId: at, requestId: `split-${at}` },
  }),
  event(2, 'COMPLETED', {
    workflowTaskCompletedEventAttributes: {
      ...completed,
      scheduledEventId: at,
      startedEventId: String(first + 1),
    },
  }),
);
// A command's event names the task that sent it.
let lastCompleted = '0';
for (const e of shifted) {
  if (e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED') lastCompleted = e.eventId;
  for (const attributes of Object.values(e)) {
    if (
      attributes &&
      typeof attributes === 'object' &&
      'workflowTaskCompletedEventId' in attributes
    )
      (attributes as Record<string, unknown>).workflowTaskCompletedEventId = lastCompleted;
  }
}
writeFileSync(target, JSON.stringify({ ...history, events: shifted }, null, 2));
