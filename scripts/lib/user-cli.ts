import { hashPassword } from '../../api/auth';
import { describeIssues, signUp } from '../../core/actions';
import type { Db } from '../../db/client';

/**
 * `npm run user -- add <email> [--name <name>]`: creates an account (for setups with sign-up
 * turned off). The password never comes from the command line, where `ps` and shell histories
 * would keep it: it is read from standard input, typed at a prompt or piped in.
 */
export const USER_USAGE = `Usage:
  npm run user -- add <email> [--name <name>]    the password is read from standard input
  echo "$PASSWORD" | npm run user -- add ops@example.com`;

export class UserUsageError extends Error {}

const account = signUp.pick({ email: true, name: true, password: true });

export async function runUserCommand(
  argv: string[],
  deps: { db: Db; readPassword: () => Promise<string> },
): Promise<string> {
  const [verb, email, ...rest] = argv;
  if (verb !== 'add' || !email) throw new UserUsageError('Say `add <email>`.');
  let name = email.split('@')[0] ?? email;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--name' && rest[i + 1]) name = rest[++i]!;
    else throw new UserUsageError(`Unknown option ${rest[i]}.`);
  }
  const parsedEmail = account.shape.email.safeParse(email);
  if (!parsedEmail.success) throw new UserUsageError(describeIssues(parsedEmail.error));
  if (await deps.db.user.findUnique({ where: { email: parsedEmail.data } })) {
    throw new UserUsageError(`${parsedEmail.data} already has an account.`);
  }
  const parsed = account.safeParse({ email, name, password: await deps.readPassword() });
  if (!parsed.success) throw new UserUsageError(describeIssues(parsed.error));
  const user = await deps.db.user.create({
    data: {
      email: parsed.data.email,
      name: parsed.data.name,
      passwordHash: await hashPassword(parsed.data.password),
    },
  });
  return `created ${user.email} (${user.id})`;
}
