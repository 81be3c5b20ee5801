import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import internals from '@prisma/internals';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './support/database';

/**
 * Migrations are hand-kept SQL, so this test is what keeps them honest: it reads schema.prisma
 * the way Prisma does (its DMMF) and compares every model with the migrated database: tables,
 * column types, nullability and defaults, primary keys, unique and plain indexes, foreign keys.
 */

type Dmmf = Awaited<ReturnType<typeof internals.getDMMF>>;
type Field = Dmmf['datamodel']['models'][number]['fields'][number];

// Tables that exist on purpose outside schema.prisma.
const OWN_TABLES = ['_studio_migrations', 'socket_io_attachments'];

function expectedType(field: Field): string {
  const native = field.nativeType?.[0];
  switch (field.type) {
    case 'String':
      return native === 'Uuid' ? 'uuid' : 'text';
    case 'Int':
      return 'int4';
    case 'BigInt':
      return 'int8';
    case 'Float':
      return 'float8';
    case 'Boolean':
      return 'bool';
    case 'Json':
      return 'jsonb';
    case 'DateTime':
      return native === 'Timestamptz' ? 'timestamptz' : 'timestamp';
    case 'Decimal': {
      const [precision = '65', scale = '30'] =
        (field.nativeType?.[1] as string[] | undefined) ?? [];
      return `numeric(${precision},${scale})`;
    }
    default:
      return `unknown:${field.type}`;
  }
}

/** Prisma computes uuid()/cuid() defaults itself; everything else is a database default. */
function expectsDatabaseDefault(field: Field) {
  if (!field.hasDefaultValue) return false;
  const value = field.default as { name?: string } | undefined;
  return !(
    value &&
    typeof value === 'object' &&
    ['uuid', 'cuid', 'nanoid'].includes(value.name ?? '')
  );
}

describe('schema.prisma and the migrations', () => {
  let dmmf: Dmmf;
  let client: pg.Client;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const datamodel = await readFile(
      join(import.meta.dirname, '..', 'prisma', 'schema.prisma'),
      'utf8',
    );
    dmmf = await internals.getDMMF({ datamodel });
    const database = await createTestDatabase();
    drop = database.drop;
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await drop();
  });

  const tableOf = (modelName: string) => {
    const model = dmmf.datamodel.models.find((m) => m.name === modelName)!;
    return model.dbName ?? model.name;
  };
  const columnOf = (modelName: string, fieldName: string) => {
    const model = dmmf.datamodel.models.find((m) => m.name === modelName)!;
    const field = model.fields.find((f) => f.name === fieldName)!;
    return field.dbName ?? field.name;
  };

  it('has exactly the tables of the models', async () => {
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const actual = rows.map((r) => r.table_name).filter((t) => !OWN_TABLES.includes(t));
    expect(actual.sort()).toEqual(dmmf.datamodel.models.map((m) => m.dbName ?? m.name).sort());
  });

  it('has the columns, types, nullability and defaults of every field', async () => {
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      udt_name: string;
      is_nullable: string;
      numeric_precision: number | null;
      numeric_scale: number | null;
      column_default: string | null;
    }>(
      `SELECT table_name, column_name, udt_name, is_nullable, numeric_precision, numeric_scale, column_default
       FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const describeColumn = (r: (typeof rows)[number]) => ({
      type:
        r.udt_name === 'numeric'
          ? `numeric(${r.numeric_precision},${r.numeric_scale})`
          : r.udt_name,
      nullable: r.is_nullable === 'YES',
      hasDefault: r.column_default !== null,
    });
    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const scalars = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
      const expected = Object.fromEntries(
        scalars.map((f) => [
          f.dbName ?? f.name,
          { type: expectedType(f), nullable: !f.isRequired, hasDefault: expectsDatabaseDefault(f) },
        ]),
      );
      const actual = Object.fromEntries(
        rows.filter((r) => r.table_name === table).map((r) => [r.column_name, describeColumn(r)]),
      );
      expect({ table, columns: actual }).toEqual({ table, columns: expected });
    }
  });

  it('has the primary keys, unique and plain indexes of the schema', async () => {
    const { rows } = await client.query<{
      table: string;
      columns: string[];
      unique: boolean;
      primary: boolean;
    }>(
      `SELECT t.relname AS "table", i.indisunique AS "unique", i.indisprimary AS "primary",
              array_agg(a.attname::text || CASE WHEN (i.indoption[k.ord - 1] & 1) = 1 THEN ' desc' ELSE '' END ORDER BY k.ord) AS columns
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       GROUP BY t.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    );
    const key = (table: string, kind: string, columns: string[]) =>
      `${table} ${kind} (${columns.join(', ')})`;
    const actual = rows
      .filter((r) => !OWN_TABLES.includes(r.table))
      .map((r) => key(r.table, r.primary ? 'primary' : r.unique ? 'unique' : 'index', r.columns));
    const expected = dmmf.datamodel.indexes.map((index) =>
      key(
        tableOf(index.model),
        index.type === 'id' ? 'primary' : index.type === 'unique' ? 'unique' : 'index',
        index.fields.map(
          (f) => columnOf(index.model, f.name) + (f.sortOrder === 'desc' ? ' desc' : ''),
        ),
      ),
    );
    expect(actual.sort()).toEqual(expected.sort());
  });

  it('has the foreign keys of the relations, with their delete rules', async () => {
    const { rows } = await client.query<{ description: string }>(
      `SELECT format('%s (%s) -> %s (%s) on delete %s',
                     src.relname,
                     (SELECT string_agg(attname, ', ') FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = ANY (c.conkey)),
                     dst.relname,
                     (SELECT string_agg(attname, ', ') FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = ANY (c.confkey)),
                     CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'r' THEN 'restrict' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' ELSE 'no action' END
              ) AS description
       FROM pg_constraint c
       JOIN pg_class src ON src.oid = c.conrelid
       JOIN pg_class dst ON dst.oid = c.confrelid
       WHERE c.contype = 'f'`,
    );
    const expected = dmmf.datamodel.models.flatMap((model) =>
      model.fields
        .filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)
        .map((f) => {
          const onDelete = (f.relationOnDelete ?? 'Restrict')
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toLowerCase();
          return `${tableOf(model.name)} (${f.relationFromFields!.map((c) => columnOf(model.name, c)).join(', ')}) -> ${tableOf(f.type)} (${f.relationToFields!.map((c) => columnOf(f.type, c)).join(', ')}) on delete ${onDelete}`;
        }),
    );
    expect(rows.map((r) => r.description).sort()).toEqual(expected.sort());
  });
});
