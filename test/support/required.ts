/**
 * A test service that may be absent on a developer's machine (the suite then skips) but never in
 * CI: with CI=true, a missing one fails the run instead of passing it with suites skipped.
 */
export function requiredInCi(what: string, path: string | undefined): string | undefined {
  if (!path && process.env.CI === 'true') {
    throw new Error(
      `${what} was not found, and CI=true needs it: run "npm run setup" to install it.`,
    );
  }
  return path;
}

/**
 * A condition a suite needs (an OCR language, running as root) that a developer's machine may
 * lack, so the suite skips there; with CI=true a missing one fails the run instead, naming it.
 */
export function requiredConditionInCi(what: string, met: boolean): boolean {
  if (!met && process.env.CI === 'true') {
    throw new Error(`${what}, and CI=true needs it: run "npm run setup" (as root) to have it.`);
  }
  return met;
}
