-- Which start attempt wrote the session's row (api/session-start.ts): the same id appears in the
-- memo of the run that attempt started, so undoing a failed attempt touches only its own row and
-- run, never those of a later attempt with the same key. Null for rows from before.
ALTER TABLE "sessions" ADD COLUMN "start_attempt" UUID;
