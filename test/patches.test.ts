import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowsPath } from '../worker/workers';
import { PATCHES } from '../workflows/patches';

/**
 * The registry of patched() ids (workflows/patches.ts) is the only source of ids, and each id's
 * two branches are both exercised by committed histories: one recorded before the patch (replay
 * takes the old branch) and one after (the new branch). Which branch a history takes is observed,
 * not declared: the histories replay against a bundle whose `patched()` reports each answer.
 */
const root = join(import.meta.dirname, '..');
const historiesDir = join(import.meta.dirname, 'histories');
const registry = Object.entries(PATCHES);
const registeredIds = new Set(registry.map(([, p]) => p.id));

async function sourcesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? sourcesUnder(join(dir, e.name))
        : Promise.resolve(
            e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
          ),
    ),
  );
  return nested.flat();
}

describe('the patch registry', () => {
  it('is where every patched() and deprecatePatch() call takes its id', async () => {
    const used = new Set<string>();
    const strays: string[] = [];
    for (const file of await sourcesUnder(join(root, 'workflows'))) {
      // Code only: comments may name patched() freely.
      const text = (await readFile(file, 'utf8'))
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      for (const call of text.matchAll(/\b(?:patched|deprecatePatch)\(([^)]*)\)/g)) {
        // The one bridge that hands actions their patches by registry name (ActionTools).
        if (call[1]!.trim() === 'PATCHES[change].id') continue;
        // The session workflow asks for every patch in its first task (askForEveryPatch).
        if (call[1]!.trim() === 'patch.id') continue;
        const name = /^PATCHES\.(\w+)\.id$/.exec(call[1]!.trim())?.[1];
        if (name && name in PATCHES) used.add(name);
        else strays.push(`${relative(root, file)}: ${call[0]}`);
      }
    }
    // Actions (core/session-actions) ask through that bridge, by the registry's name.
    for (const file of await sourcesUnder(join(root, 'core', 'session-actions'))) {
      const text = await readFile(file, 'utf8');
      for (const call of text.matchAll(/\.patched\('(\w+)'\)/g)) {
        if (call[1]! in PATCHES) used.add(call[1]!);
        else strays.push(`${relative(root, file)}: ${call[0]}`);
      }
    }
    expect(strays).toEqual([]);
    // An id no code reads any more has been removed: it leaves the registry too.
    expect(registry.map(([name]) => name).filter((name) => !used.has(name))).toEqual([]);
  });

  it('says when each patch was added and from when it may be deprecated', () => {
    for (const [, patch] of registry) {
      const added = /^(\d{4}-\d{2}-\d{2})/.exec(patch.added)?.[1];
      expect(added, patch.id).toBeDefined();
      // Not before a session started the day before the patch could have sat idle (30 days).
      const earliest = new Date(Date.parse(added!) + 30 * 86_400_000).toISOString().slice(0, 10);
      expect(patch.mayDeprecateFrom >= earliest, patch.id).toBe(true);
    }
  });

  describe('committed histories', () => {
    const branches = new Map<string, { old: Set<string>; new: Set<string> }>(
      [...registeredIds].map((id) => [id, { old: new Set(), new: new Set() }]),
    );
    const strays = new Set<string>();

    beforeAll(async () => {
      const probe = join(import.meta.dirname, 'support', 'patch-probe-workflow.ts');
      const { code } = await bundleWorkflowCode({
        workflowsPath,
        webpackConfigHook: (config) => {
          const alias = (config.resolve!.alias ??= {}) as Record<string, string>;
          alias['@temporalio/workflow$'] = probe;
          return config;
        },
        logger: quietLogger,
      });
      const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();
      for (const file of files) {
        const history = historyFromJSON(
          JSON.parse(await readFile(join(historiesDir, file), 'utf8')),
        );
        await Worker.runReplayHistory(
          {
            workflowBundle: { code },
            sinks: {
              patchProbe: {
                branch: {
                  fn: (_info, patchId: string, taken: boolean) => {
                    const seen = branches.get(patchId);
                    if (!seen) strays.add(patchId);
                    else seen[taken ? 'new' : 'old'].add(file);
                  },
                  callDuringReplay: true,
                },
              },
            },
          },
          history,
          file.replace(/\.json$/, ''),
        );
      }
      const table = [...branches].map(
        ([id, seen]) => `  ${id.padEnd(26)} old: ${seen.old.size}  new: ${seen.new.size}`,
      );
      console.log(`patch branches taken by ${files.length} histories:\n${table.join('\n')}`);
    }, 300_000);

    it.each(registry.map(([, p]) => [p.id, p] as const))(
      '%s: a history takes its old branch and one its new branch',
      (id, patch) => {
        expect(strays).toEqual(new Set());
        const seen = branches.get(id)!;
        expect([...seen.new], 'no history takes the new branch').not.toEqual([]);
        // Once deprecated, the old branch is gone from the code: nothing can take it.
        if (!('deprecated' in patch)) {
          expect([...seen.old], 'no history takes the old branch').not.toEqual([]);
        }
      },
    );
  });
});

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};
