import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * What a new password must not be, beyond its length (core/actions.ts): one of the commonest
 * passwords, or the account's e-mail address. The list is the common-password dictionary of
 * @zxcvbn-ts/language-common (MIT; about 49,000 passwords from public breach corpora), shipped in
 * the package and read offline. Compared without case: "Password123" is "password123".
 */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export const COMMON_PASSWORD_MESSAGE =
  'This is one of the most common passwords, the first an attacker tries. Choose another.';
export const EMAIL_PASSWORD_MESSAGE = 'Choose a password other than your e-mail address.';

/** Why the password may not be used for this account, in words for a person; null when fine. */
export function passwordProblem(password: string, email: string): string | null {
  const plain = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (plain === address || plain === local) return EMAIL_PASSWORD_MESSAGE;
  if (COMMON.has(plain)) return COMMON_PASSWORD_MESSAGE;
  return null;
}
