-- Seeds are unsigned 32-bit values (and some providers use more), which overflow INTEGER.
ALTER TABLE "sessions" ALTER COLUMN "seed" SET DATA TYPE BIGINT;
ALTER TABLE "assets" ALTER COLUMN "seed" SET DATA TYPE BIGINT;
