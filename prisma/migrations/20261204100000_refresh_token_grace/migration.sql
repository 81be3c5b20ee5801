-- A rotated refresh token may be used once more within its grace period (a second request of the
-- same page load); this marks that use, so a third one revokes the sign-in.
ALTER TABLE "refresh_tokens" ADD COLUMN "grace_used_at" TIMESTAMPTZ(3);
