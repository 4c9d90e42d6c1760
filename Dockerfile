# One image for every service (generator, trainer, reporter, the mtl CLI); compose picks the command.
#
# Builds with the legacy builder and with BuildKit, and without Docker Hub: no `# syntax=` line and no
# `RUN --mount` (BuildKit would fetch a frontend, the legacy builder rejects mounts), and the base
# image is a build argument, so an air-gapped machine can use the one `docker/base-images.sh` builds
# (or any mirror): docker build --build-arg NODE_IMAGE=registry.example/node:20-bookworm-slim .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
# The version in package.json's packageManager field.
RUN npm install --global pnpm@12.4.2
# A compiler, for tfjs-node's addon where no prebuilt binary fits.
RUN apt-get update \
  && apt-get install --yes --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The store, from the lockfile alone: this layer stays cached until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
# The patches pnpm applies (patchedDependencies in pnpm-workspace.yaml).
COPY patches ./patches
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline && pnpm build
# A fresh production-only install (tfjs-node's install script downloads libtensorflow where the build
# has internet; where it cannot, training uses wasm), then only what the services run into /release:
# package manifests, built files, the report pages' assets and the example specs.
RUN rm -rf node_modules apps/*/node_modules packages/*/node_modules \
  && pnpm install --frozen-lockfile --offline --prod \
  && mkdir /release \
  && tar -c --exclude='*.map' --exclude='*.d.ts' --exclude='*.tsbuildinfo' package.json node_modules \
    examples apps/*/package.json apps/*/dist apps/*/node_modules \
    packages/*/package.json packages/*/dist packages/*/node_modules packages/report-view/assets \
  | tar -x -C /release

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  ARTIFACTS_DIR=/data/artifacts \
  MTL_BACKEND=auto
WORKDIR /app
# Owned by root, read by the node user: the services never write to their own code.
COPY --from=build /release /app
RUN mkdir -p /data/artifacts && chown -R node:node /data
USER node
VOLUME ["/data/artifacts"]
CMD ["node", "apps/cli/dist/main.js", "--help"]
