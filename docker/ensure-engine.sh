#!/usr/bin/env bash
# Makes sure a Docker engine and a compose command answer here. Installs Debian's docker.io and
# docker-compose where they are missing (as root; otherwise prints the command and exits 1), and
# starts dockerd when no engine answers. Prints `started <pid>` when it started dockerd, so the caller
# can stop what it started. Logs: $MTL_DOCKER_STATE (default /tmp/mtl-docker).
set -euo pipefail
state=${MTL_DOCKER_STATE:-/tmp/mtl-docker}
mkdir -p "$state"

has_compose() { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; }

missing=()
command -v dockerd >/dev/null || docker info >/dev/null 2>&1 || missing+=(docker.io)
has_compose || missing+=(docker-compose)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "docker: missing ${missing[*]}; install with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "docker: installing ${missing[*]} from Debian" >&2
  apt-get -o DPkg::Lock::Timeout=600 update -qq >"$state/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}" >>"$state/apt.log" 2>&1 || { echo "docker: apt-get failed; see $state/apt.log" >&2; exit 1; }
fi

if docker info >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "docker: no engine answers; start one (sudo dockerd, or sudo systemctl start docker) or set DOCKER_HOST" >&2
  exit 1
fi
# No systemd on these machines: start the daemon by hand, detached from this shell.
setsid nohup dockerd --storage-driver overlay2 >"$state/dockerd.log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 90); do
  docker info >/dev/null 2>&1 && { echo "started $pid"; exit 0; }
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
echo "docker: dockerd did not answer within 90 s; see $state/dockerd.log" >&2
exit 1
