# syntax=docker/dockerfile:1
# One image for every service (generator, trainer, reporter, the mtl CLI); compose picks the command.

FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH
# The version in package.json's packageManager field.
RUN npm install --global pnpm@12.4.2
WORKDIR /app

# Install with the network the image build has: tfjs-node's install script downloads libtensorflow,
# so the image trains on native TensorFlow (MTL_BACKEND=auto picks it) instead of wasm.
FROM base AS build
RUN apt-get update \
  && apt-get install --yes --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline \
  && pnpm build \
  && pnpm install --frozen-lockfile --offline --prod

FROM base AS runtime
ENV NODE_ENV=production \
  ARTIFACTS_DIR=/data/artifacts \
  MTL_BACKEND=auto
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data/artifacts && chown -R node:node /data
USER node
VOLUME ["/data/artifacts"]
CMD ["node", "apps/cli/dist/main.js", "--help"]
