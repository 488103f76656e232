# syntax=docker/dockerfile:1
# casebook: compiled with the full toolchain, run with production dependencies only, as a
# non-root user, with the SQLite database on a volume at /data.
#   docker build -t casebook .
#   docker run -p 127.0.0.1:4000:4000 -v casebook-data:/data casebook

FROM node:24-bookworm-slim AS base
WORKDIR /app
ENV CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# better-sqlite3 is installed here, for the Node of this image (the runtime stage has the same
# one). It downloads a prebuilt binary where one exists; the compilers are the fallback, and they
# build against the headers this image ships in /usr/local/include/node instead of downloading them.
FROM base AS toolchain
ENV npm_config_nodedir=/usr/local
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# What `npm ci` needs, including postinstall's `prisma generate`.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/no-schema-engine.sh ./scripts/

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The dashboard, built by Vite into dist/ui, which the server serves at /ui/.
COPY ui ./ui
RUN npm run build

FROM toolchain AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM base AS runtime
ENV NODE_ENV=production \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATABASE_URL=file:/data/entities.db \
    STUDIO_HOST=0.0.0.0 \
    STUDIO_PORT=5555
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/studio.mjs scripts/no-schema-engine.sh ./scripts/
# The casebook command (npx casebook …), which runs dist/ here.
COPY bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000 5555
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 and handles SIGTERM: in-flight requests finish, the database is checkpointed.
CMD ["node", "dist/src/server/main.js"]
