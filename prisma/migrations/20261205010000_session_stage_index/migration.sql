-- The line for worker slots (api/session-queue.ts) reads the sessions in one stage, oldest write
-- first, and start admission counts those in the machine stages: both by stage, on every poll of
-- a waiting session's page and every start.
CREATE INDEX "sessions_stage_updated_at_idx" ON "sessions"("stage", "updated_at");
