-- Replicate predictions, recorded before each create so nothing is paid for twice.
CREATE TABLE "predictions" (
    "id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "asset_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "job_key" TEXT NOT NULL,
    "prediction_id" TEXT,
    "model" TEXT NOT NULL,
    "input_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "progress" DOUBLE PRECISION,
    "error" TEXT,
    "predict_time" DOUBLE PRECISION,
    "cost_usd" DECIMAL(10,4) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    CONSTRAINT "predictions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "predictions_job_key_key" ON "predictions"("job_key");
CREATE UNIQUE INDEX "predictions_prediction_id_key" ON "predictions"("prediction_id");
CREATE UNIQUE INDEX "predictions_session_id_asset_id_purpose_attempt_key" ON "predictions"("session_id", "asset_id", "purpose", "attempt");
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Webhook deliveries already applied (Replicate retries repeat the webhook-id).
CREATE TABLE "webhook_events" (
    "id" TEXT NOT NULL,
    "prediction_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("id")
);
