-- Users, sessions, assets, the cost ledger and the mood board.

CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "product_prompt" TEXT NOT NULL,
    "video_prompt" TEXT,
    "seed" INTEGER,
    "style" JSONB,
    "options" JSONB NOT NULL DEFAULT '{}',
    "selections" JSONB NOT NULL DEFAULT '{}',
    "composition" JSONB,
    "budget_usd" DECIMAL(10,4) NOT NULL,
    "total_cost_usd" DECIMAL(10,4) NOT NULL DEFAULT 0,
    "final_asset_id" UUID,
    "last_error" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "sessions_user_id_updated_at_idx" ON "sessions"("user_id", "updated_at" DESC);

CREATE TABLE "assets" (
    "id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "storage_key" TEXT,
    "sha256" TEXT,
    "bytes" INTEGER,
    "mime" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "duration_seconds" DOUBLE PRECISION,
    "provider" TEXT,
    "model" TEXT,
    "prompt" TEXT,
    "seed" INTEGER,
    "cost_usd" DECIMAL(10,4) NOT NULL DEFAULT 0,
    "generation_ms" INTEGER,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "assets_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "assets_session_id_type_idx" ON "assets"("session_id", "type");

CREATE TABLE "generation_costs" (
    "id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "cost_usd" DECIMAL(10,4) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL,
    "error" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "generation_costs_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "generation_costs_idempotency_key_key" ON "generation_costs"("idempotency_key");
CREATE INDEX "generation_costs_session_id_created_at_idx" ON "generation_costs"("session_id", "created_at");

CREATE TABLE "mood_board_items" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "asset_id" UUID NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mood_board_items_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mood_board_items_user_id_asset_id_key" ON "mood_board_items"("user_id", "asset_id");

ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "assets" ADD CONSTRAINT "assets_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "generation_costs" ADD CONSTRAINT "generation_costs_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "mood_board_items" ADD CONSTRAINT "mood_board_items_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "mood_board_items" ADD CONSTRAINT "mood_board_items_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- socket.io's postgres adapter and emitter exchange large payloads through this table.
CREATE TABLE IF NOT EXISTS "socket_io_attachments" (
    "id" BIGSERIAL UNIQUE,
    "created_at" TIMESTAMPTZ DEFAULT NOW(),
    "payload" BYTEA
);
