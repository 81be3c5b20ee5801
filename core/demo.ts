/**
 * The demo user `npm start` seeds on the embedded database (documented in the README). The
 * sign-in page shows these credentials only while that exact user exists with this password.
 */
export const DEMO_USER = { email: 'demo@studio.local', password: 'demo-studio' } as const;
