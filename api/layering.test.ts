import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The API asks workers for work and never does it itself (issue 15: previews drawn inside the
 * API slowed every other user's requests). So no module the API process loads at run time may
 * come from activities/ or worker/: this follows every value import (type-only imports are
 * erased) from the API's entry points.
 */
const root = resolve(import.meta.dirname, '..');
const ENTRIES = ['api/main.ts', 'api/app.ts'];

/** Relative modules a file loads at run time (`import type` and `export type` load nothing). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  const pattern =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of source.matchAll(pattern)) {
    const [, , typeOnly, fromSpecifier, dynamicSpecifier] = match;
    const specifier = fromSpecifier ?? dynamicSpecifier;
    if (typeOnly || !specifier?.startsWith('.')) continue;
    found.push(specifier);
  }
  return found;
}

function resolveModule(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

function loadedBy(entries: string[]): Map<string, string> {
  // Each module with the module that first loaded it, to name the path in a failure.
  const seen = new Map<string, string>();
  const queue = entries.map((e) => resolve(root, e));
  for (const entry of queue) seen.set(entry, '(entry)');
  while (queue.length) {
    const file = queue.shift()!;
    for (const specifier of runtimeImports(file)) {
      const target = resolveModule(file, specifier);
      if (!target || seen.has(target)) continue;
      seen.set(target, file);
      queue.push(target);
    }
  }
  return seen;
}

describe('layering', () => {
  it('the API process loads no activity or worker code', () => {
    const loaded = loadedBy(ENTRIES);
    const offending = [...loaded]
      .map(([file, by]) => [relative(root, file), relative(root, by)] as const)
      .filter(([file]) => file.startsWith('activities/') || file.startsWith('worker/'))
      .map(([file, by]) => `${file} (loaded by ${by})`);
    expect(offending).toEqual([]);
    // The walk itself works: it reaches the routes.
    expect([...loaded.keys()].map((f) => relative(root, f))).toContain('api/routes/preview.ts');
  });
});
