import { isGrpcServiceError, type Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { NativeConnection } from '@temporalio/worker';
import { SEARCH_ATTRIBUTES } from '../core/search-attributes';

/**
 * What the studio's code needs from the Temporal server before a worker may run it: the
 * namespace, and in it every custom search attribute the workflow upserts
 * (`core/search-attributes.ts`), with the right type. A run that upserts an attribute the
 * namespace does not know fails its workflow task over and over (BadSearchAttributes), and every
 * action on that session with it. The dev server's `--search-attribute` flags register them only
 * in a new database, so every start checks, and registers what is missing.
 */

type AttributeType = (typeof SEARCH_ATTRIBUTES)[keyof typeof SEARCH_ATTRIBUTES];

/** temporal.api.enums.v1.IndexedValueType, as the operator service speaks it. */
const INDEXED_VALUE_TYPE: Record<AttributeType, number> = { Text: 1, Keyword: 2, Double: 4 };
const TYPE_NAMES: Record<number, string> = {
  1: 'Text',
  2: 'Keyword',
  3: 'Int',
  4: 'Double',
  5: 'Bool',
  6: 'Datetime',
  7: 'KeywordList',
};

/** gRPC status codes that mean "you may not": the server refuses this caller the change. */
const DENIED = new Set([7, 16]); // PERMISSION_DENIED, UNAUTHENTICATED
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/** The services of either connection type (the client's, or the worker's native one). */
type TemporalConnection = Pick<
  Connection | NativeConnection,
  'operatorService' | 'workflowService'
>;

export interface ServerNeeds {
  namespace: string;
  /** False when the namespace does not exist. */
  namespaceExists: boolean;
  /** Attributes the namespace lacks, as `Name=Type`. */
  missing: string[];
  /** Attributes registered with another type than the code needs: no start can fix these. */
  wrongType: string[];
}

/** Reads what the server has against what the code needs; changes nothing. */
export async function checkServerNeeds(
  connection: TemporalConnection,
  namespace: string,
): Promise<ServerNeeds> {
  const needs: ServerNeeds = { namespace, namespaceExists: true, missing: [], wrongType: [] };
  let customAttributes: Record<string, unknown> | null | undefined;
  try {
    await connection.workflowService.describeNamespace({ namespace });
    ({ customAttributes } = await connection.operatorService.listSearchAttributes({ namespace }));
  } catch (error) {
    // A namespace registered a moment ago is known to some of Temporal's services before others.
    if (isGrpcServiceError(error) && (error.code as number) === NOT_FOUND) {
      return { ...needs, namespaceExists: false, missing: attributePairs() };
    }
    throw error;
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
    const has = customAttributes?.[name] as number | undefined;
    if (has === undefined) needs.missing.push(`${name}=${type}`);
    else if (has !== INDEXED_VALUE_TYPE[type]) {
      needs.wrongType.push(`${name} is ${TYPE_NAMES[has] ?? has}, the studio needs ${type}`);
    }
  }
  return needs;
}

export const isSatisfied = (needs: ServerNeeds) =>
  needs.namespaceExists && needs.missing.length === 0 && needs.wrongType.length === 0;

/** What an operator reads when the server lacks something: what, and the commands that fix it. */
export function describeServerNeeds(needs: ServerNeeds): string[] {
  const lines: string[] = [];
  const ns = needs.namespace;
  if (!needs.namespaceExists) {
    lines.push(
      `Temporal has no namespace "${ns}". Create it: temporal operator namespace create --namespace ${ns} --retention 30d`,
    );
  }
  if (needs.missing.length) {
    lines.push(
      `Temporal namespace "${ns}" lacks the search attributes ${needs.missing.join(', ')} that this version of the studio needs. Register them (or start a worker allowed to):`,
      ...needs.missing.map((pair) => {
        const [name, type] = pair.split('=');
        return `  temporal operator search-attribute create --namespace ${ns} --name ${name} --type ${type}`;
      }),
    );
  }
  if (needs.wrongType.length) {
    lines.push(
      `Temporal namespace "${ns}" has search attributes of the wrong type: ${needs.wrongType.join('; ')}. Remove them (temporal operator search-attribute remove) and register them again.`,
    );
  }
  return lines;
}

export class TemporalSetupError extends Error {}

/**
 * Makes the server ready for this code, idempotently: registers the namespace when it is missing
 * and every missing search attribute, then waits until the namespace lists them. Returns what it
 * registered. Throws a TemporalSetupError naming what is missing, and how to add it, when the
 * server refuses this caller the change or an attribute has the wrong type.
 */
export async function ensureServerNeeds(
  connection: TemporalConnection,
  namespace: string,
  options: { waitMs?: number } = {},
): Promise<string[]> {
  let needs = await checkServerNeeds(connection, namespace);
  if (isSatisfied(needs)) return [];
  if (needs.wrongType.length) throw new TemporalSetupError(describeServerNeeds(needs).join('\n'));
  const registered: string[] = [];
  try {
    if (!needs.namespaceExists) {
      await connection.workflowService
        .registerNamespace({
          namespace,
          // Closed runs are not needed to serve a session (its row keeps its state), but operators
          // read them in Temporal UI for as long as a session may sit idle.
          workflowExecutionRetentionPeriod: msToTs('30 days'),
        })
        .catch((error: unknown) => {
          // Registered a moment ago (by another worker, or not yet known everywhere).
          if (!isGrpcServiceError(error) || (error.code as number) !== ALREADY_EXISTS) throw error;
        });
      registered.push(`namespace ${namespace}`);
      // A new namespace appears to the other services within seconds.
      needs = await waitFor(
        () => checkServerNeeds(connection, namespace),
        (n) => n.namespaceExists,
        options.waitMs,
      );
    }
    if (needs.missing.length) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          needs.missing.map((pair) => {
            const [name, type] = pair.split('=') as [string, AttributeType];
            return [name, INDEXED_VALUE_TYPE[type]];
          }),
        ),
      });
      registered.push(...needs.missing);
    }
  } catch (error) {
    if (isGrpcServiceError(error) && DENIED.has(error.code)) {
      throw new TemporalSetupError(
        [
          `This worker may not change Temporal's namespace "${namespace}" (${error.details || 'permission denied'}).`,
          ...describeServerNeeds(needs),
        ].join('\n'),
      );
    }
    throw error;
  }
  const final = await waitFor(
    () => checkServerNeeds(connection, namespace),
    isSatisfied,
    options.waitMs,
  );
  if (!isSatisfied(final)) {
    throw new TemporalSetupError(
      [
        'Temporal accepted the registration but does not list it yet.',
        ...describeServerNeeds(final),
      ].join('\n'),
    );
  }
  return registered;
}

/** Reads until `done` (the server applies a registration within moments), or gives up. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, waitMs = 30_000) {
  const deadline = Date.now() + waitMs;
  let pause = 100;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 2000);
  }
}

function attributePairs() {
  return Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => `${name}=${type}`);
}
