import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError } from '../core/env';
import { createDb } from '../db/client';
import { operatorDatabaseUrl } from './lib/database-url';
import { loadStackConfig } from './lib/stack-config';
import { USER_USAGE, UserUsageError, runUserCommand } from './lib/user-cli';

/**
 * `npm run user -- add <email>` against DATABASE_URL (in the container: `docker compose run
 * --rm -T api npm run user -- add <email> < password-file`), else the embedded stack's database.
 */
const root = resolve(import.meta.dirname, '..');
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));

/** At a terminal, a prompt that does not echo; otherwise the first line of standard input. */
function readPassword(): Promise<string> {
  const input = process.stdin;
  return new Promise((resolvePassword, reject) => {
    if (input.isTTY) {
      process.stdout.write('Password: ');
      input.setRawMode(true);
      let typed = '';
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') {
            input.setRawMode(false);
            input.off('data', onData);
            input.pause();
            process.stdout.write('\n');
            return resolvePassword(typed);
          }
          if (char === '\u0003') return reject(new UserUsageError('Cancelled.'));
          if (char === '\u007f') typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      input.on('data', onData);
      input.resume();
      return;
    }
    const lines = createInterface({ input });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolvePassword(line);
    });
    lines.once('close', () => {
      if (!answered) reject(new UserUsageError('No password on standard input.'));
    });
  });
}

async function main() {
  const config = loadStackConfig();
  const db = createDb(operatorDatabaseUrl(config, root), { max: 1 });
  try {
    console.log(await runUserCommand(process.argv.slice(2), { db, readPassword }));
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  if (error instanceof UserUsageError) console.error(`${error.message}\n\n${USER_USAGE}`);
  else if (error instanceof ConfigError || error instanceof Error) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
