import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;

const poolSizes = new WeakMap<Db, number>();

/** One Prisma client per process, over node-postgres (no Rust engine). */
export function createDb(databaseUrl: string, options: { max?: number } = {}): Db {
  const max = options.max ?? 10;
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
  poolSizes.set(db, max);
  return db;
}

/** How many connections the client's pool holds (work that holds one must leave some free). */
export function poolSizeOf(db: Db): number {
  return poolSizes.get(db) ?? 10;
}
