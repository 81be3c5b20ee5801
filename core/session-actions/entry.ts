import type { z } from 'zod';
import { describeIssues } from '../actions';
import { businessFailure } from '../errors';
import type { SessionState } from '../session';
import type { Stage } from '../stages';

/**
 * What an action's `apply` may do besides changing the state it is given: move the session to
 * another stage (which counts a change and indexes it), count a change, make an id, and ask
 * whether a workflow change is in force. The workflow passes its own (Temporal's `uuid4` and
 * `patched`); unit tests pass plain ones.
 */
export interface ActionTools {
  moveTo(stage: Stage): void;
  touch(): void;
  uuid(): string;
  /** Whether a workflow change (named as in workflows/patches.ts) is in force for this run. */
  patched(change: ActionPatch): boolean;
}

/** The workflow changes that actions branch on. */
export type ActionPatch = 'sideBySideVariants';

/** How an action reaches the API: its path, its summary, and the path parameter it takes. */
export interface ActionRoute<Args> {
  path: `/sessions/{id}/${string}`;
  summary: string;
  /** The field of the action that comes from the path's `{assetId}` (not from the body). */
  assetParam?: keyof Args & string;
}

/**
 * One human action of a session: its schema (core/actions.ts), the stages it is allowed in, what
 * it checks against the state beyond the schema, what it does, and its API route. Updates,
 * signals, validators and routes are all derived from these entries.
 */
export interface SessionAction<S extends z.ZodObject = z.ZodObject> {
  schema: S;
  stages: readonly Stage[];
  /** What the person tried, in "Cannot <verb> while the session is <stage>." */
  verb: string;
  /** Checks against the state that the schema cannot make; throws a business failure. */
  check?(state: SessionState, args: z.output<S>): void;
  /** Carries the action out on the state (pure apart from the tools). */
  apply(state: SessionState, args: z.output<S>, tools: ActionTools): void;
  route: ActionRoute<z.output<S>>;
}

/** Keeps each entry's argument types tied to its schema, and its route's path as a literal. */
export const defineAction = <S extends z.ZodObject, const R extends ActionRoute<z.output<S>>>(
  action: Omit<SessionAction<S>, 'route'> & { route: R },
) => action;

export const invalid = (message: string) => businessFailure('VALIDATION_FAILED', message);

export const wrongStage = (state: SessionState, verb: string) =>
  businessFailure('INVALID_STATE', `Cannot ${verb} while the session is ${state.stage}.`, {
    stage: state.stage,
  });

/** Parses an action's arguments with its schema (the API's, too); a failure names the field. */
export function parseArgs<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  const result = schema.safeParse(args ?? {});
  if (!result.success) throw invalid(describeIssues(result.error));
  return result.data;
}

/**
 * The validator of every action: the stage first, then the schema, then the action's own
 * checks. Returns the parsed arguments, which `apply` receives.
 */
export function validateAction<S extends z.ZodObject>(
  action: SessionAction<S>,
  state: SessionState,
  args: unknown,
): z.output<S> {
  if (!action.stages.includes(state.stage)) throw wrongStage(state, action.verb);
  const parsed = parseArgs(action.schema, args);
  action.check?.(state, parsed);
  return parsed;
}
