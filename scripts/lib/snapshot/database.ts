import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS_TABLE, migrate } from '../../../db/migrate';

/**
 * A database as SQL, like `pg_dump --inserts` but without a pg_dump binary (the embedded
 * PostgreSQL ships none) and portable across PostgreSQL versions: the release's own migrations
 * (their exact text) rebuild its schema, then each table's rows come back through
 * `json_populate_recordset`, parents before children. Values travel as PostgreSQL's own JSON
 * (64-bit seeds, numerics and timestamps keep every digit; nothing is parsed in JavaScript).
 */
export interface DumpedMigration {
  name: string;
  sql: string;
}

export async function dumpDatabase(url: string, migrations: DumpedMigration[], heading: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const applied = await client.query<{ name: string }>(
      `SELECT name FROM "${MIGRATIONS_TABLE}" ORDER BY name`,
    );
    const names = applied.rows.map((r) => r.name);
    const byName = new Map(migrations.map((m) => [m.name, m]));
    const missing = names.filter((name) => !byName.has(name));
    if (missing.length) throw new Error(`No SQL for the applied migrations ${missing.join(', ')}`);
    const parts = [
      `-- ${heading}`,
      '-- Restore into an empty database as one script; the current code then migrates it.',
      ...names.flatMap((name) => [`-- migration ${name}`, byName.get(name)!.sql.trim()]),
      '-- data',
    ];
    for (const table of await tablesParentsFirst(client)) {
      const { rows } = await client.query<{ rows: string }>(
        `SELECT coalesce(json_agg(t ORDER BY to_jsonb(t)::text), '[]')::text AS rows FROM ${pg.escapeIdentifier(table)} t`,
      );
      const json = rows[0]!.rows;
      if (json === '[]') continue;
      const quote = dollarQuote(json);
      const name = pg.escapeIdentifier(table);
      parts.push(
        `INSERT INTO ${name} SELECT * FROM json_populate_recordset(NULL::${name}, ${quote}${json}${quote});`,
      );
    }
    return `${parts.join('\n')}\n`;
  } finally {
    await client.end();
  }
}

/**
 * Loads a dump into an empty database: the migrator applies the dump's migrations (creating
 * its table as it always does), then the rows go in. The migrations are the release's, so
 * the migrator's table records the release's checksums, as the release's own start did.
 */
export async function restoreDatabase(url: string, dump: string) {
  const { migrations, data } = splitDump(dump);
  const dir = await mkdtemp(join(tmpdir(), 'snapshot-migrations-'));
  try {
    for (const m of migrations) {
      await mkdir(join(dir, m.name));
      await writeFile(join(dir, m.name, 'migration.sql'), `${m.sql}\n`);
    }
    await migrate(url, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Its rows were recorded by the migrator above, with the same names and SQL.
    await client.query(`DELETE FROM "${MIGRATIONS_TABLE}"`);
    await client.query(data);
    await continueSerials(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Serial columns carry on after the rows they numbered (rows went in with their numbers). */
async function continueSerials(client: pg.Client) {
  const serials = await client.query<{ table: string; column: string }>(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = 'public' AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')`,
  );
  for (const { table, column } of serials.rows) {
    const t = pg.escapeIdentifier(table);
    const c = pg.escapeIdentifier(column);
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${c}), 1), max(${c}) IS NOT NULL) FROM ${t}`,
      [t, column],
    );
  }
}

function splitDump(dump: string) {
  const [head, data = ''] = dump.split(/^-- data$/m);
  const migrations = [
    ...head!.matchAll(/^-- migration (\S+)\n([\s\S]*?)(?=^-- migration |$(?![\s\S]))/gm),
  ].map((m) => ({ name: m[1]!, sql: m[2]!.trim() }));
  return { migrations, data };
}

/** Tables of the public schema, each after every table it references. */
async function tablesParentsFirst(client: pg.Client) {
  const tables = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const references = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of references.rows) {
    if (child === parent) continue;
    const set = parents.get(unquote(child)) ?? new Set<string>();
    set.add(unquote(parent));
    parents.set(unquote(child), set);
  }
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name)) return;
    if (path.includes(name)) throw new Error(`Tables reference each other: ${path.join(' → ')}`);
    for (const parent of parents.get(name) ?? []) visit(parent, [...path, name]);
    ordered.push(name);
  };
  for (const { name } of tables.rows) visit(name, []);
  return ordered.filter((name) => name !== MIGRATIONS_TABLE).concat(MIGRATIONS_TABLE);
}

/** A dollar quote whose tag the text does not contain. */
function dollarQuote(text: string) {
  for (let n = 0; ; n++) {
    const tag = `$rows${n || ''}$`;
    if (!text.includes(tag)) return tag;
  }
}
