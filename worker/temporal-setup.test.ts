import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../core/search-attributes';
import {
  TemporalSetupError,
  checkServerNeeds,
  describeServerNeeds,
  ensureServerNeeds,
  isSatisfied,
} from './temporal-setup';

/**
 * A Temporal whose namespace lacks the studio's search attributes (a database made by an older
 * release: the dev server's flags register them only in a new one) gets them from the worker's
 * start or `npm run temporal-setup`, idempotently; what no start can fix is named with the
 * command that fixes it. Each case uses a namespace of its own on the run's Temporal.
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

describe('what the studio needs from Temporal', () => {
  let connection: Connection;
  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
  });
  afterAll(async () => {
    await connection.close();
  });

  /** A namespace as an older release's Temporal had it: no custom search attributes. */
  async function bareNamespace() {
    const namespace = `studio-${randomUUID().slice(0, 8)}`;
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    return namespace;
  }

  it('registers the missing search attributes, and a second start changes nothing', async () => {
    const namespace = await bareNamespace();
    const before = await checkServerNeeds(connection, namespace);
    expect(before.missing).toEqual(
      Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => `${name}=${type}`),
    );
    expect(describeServerNeeds(before).join('\n')).toContain(
      `temporal operator search-attribute create --namespace ${namespace} --name AdUserId --type Keyword`,
    );

    expect(await ensureServerNeeds(connection, namespace)).toEqual(before.missing);
    expect(isSatisfied(await checkServerNeeds(connection, namespace))).toBe(true);
    expect(await ensureServerNeeds(connection, namespace)).toEqual([]);
  });

  it('registers a namespace that does not exist', async () => {
    const namespace = `studio-${randomUUID().slice(0, 8)}`;
    expect((await checkServerNeeds(connection, namespace)).namespaceExists).toBe(false);
    const registered = await ensureServerNeeds(connection, namespace);
    expect(registered[0]).toBe(`namespace ${namespace}`);
    expect(isSatisfied(await checkServerNeeds(connection, namespace))).toBe(true);
  });

  it('stops, naming it, when an attribute has another type than the studio needs', async () => {
    const namespace = await bareNamespace();
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: { AdCostUsd: 2 }, // Keyword, where the studio needs Double
    });
    const refused = ensureServerNeeds(connection, namespace);
    await expect(refused).rejects.toThrow(TemporalSetupError);
    await expect(refused).rejects.toThrow(/AdCostUsd is Keyword, the studio needs Double/);
  });

  it('npm run temporal-setup does the same from a terminal (and compose)', async () => {
    const namespace = await bareNamespace();
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: namespace,
    };
    const script = ['--import', 'tsx', 'scripts/temporal-setup.ts'];
    const first = await run(process.execPath, script, { cwd: root, env });
    expect(first.stdout).toContain(`registered in ${namespace}: AdStage=Keyword`);
    const second = await run(process.execPath, script, { cwd: root, env });
    expect(second.stdout).toContain(`${namespace} already has what this version needs`);
  });
});
