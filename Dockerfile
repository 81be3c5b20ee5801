# One image for the API, the worker and the web UI; docker-compose.yml picks the command.
FROM node:24-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN PRISMA_SCHEMA_ENGINE_BINARY=/app/prisma/schema.prisma npx prisma generate \
  && cd web && npx vite build
ENV NODE_ENV=production
USER node
CMD ["node", "--import", "tsx", "api/main.ts"]
