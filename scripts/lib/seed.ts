import { hashPassword } from '../../api/auth';
import type { Db } from '../../db/client';

/** Creates the demo user of the embedded setup (leaves an existing one as it is). */
export async function seedDemoUser(db: Db, email: string, password: string) {
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) return existing;
  return db.user.create({
    data: { email, name: 'Demo', passwordHash: await hashPassword(password) },
  });
}
