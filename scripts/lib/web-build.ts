import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The UI imports the API's types and core/ (the render's timeline too, for the ad's length).
const SOURCES = ['web/src', 'web/static', 'web/vite.config.ts', 'web/package.json', 'api', 'core'];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Builds the web UI when its sources changed since the last build; returns whether it built. */
export function buildWebIfStale(root: string, log: (line: string) => void): boolean {
  const stamp = join(root, 'web', 'build', '.sources-mtime');
  const sourcesMtime = String(Math.max(...SOURCES.map((s) => newest(join(root, s)))));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === sourcesMtime) return false;
  log('building the web UI');
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: join(root, 'web'),
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('The web UI did not build (see above).');
  writeFileSync(stamp, sourcesMtime);
  return true;
}
