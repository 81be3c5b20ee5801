-- The session's whole last state (assets, selections, costs, errors), written at every change,
-- so a session is served from the database after its workflow has closed, and a new run can
-- resume from it.
ALTER TABLE "sessions" ADD COLUMN "state" JSONB;
