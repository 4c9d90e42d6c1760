#!/usr/bin/env bash
# What the tests use from the system, made sure of before they run (the first step of `pnpm test` and
# `pnpm test:deploy`): python3 with NumPy (shards must be NumPy-readable), Debian's chromium for the
# reporter's browser tests (driven by playwright-core, no browser download), redis-server unless
# REDIS_URL answers; with --deploy also iproute2 (network hosts) and redis-server (the network-host
# test runs its own), the Docker engine itself being docker/ensure-engine.sh's. Missing packages are
# installed with apt-get as root; otherwise this prints the command to run and exits 1.
set -euo pipefail
deploy=false
[ "${1:-}" = --deploy ] && deploy=true

redis_answers() {
  local url="${REDIS_URL:-}" hostport host port reply
  [ -n "$url" ] || return 1
  hostport="${url#*://}"; hostport="${hostport##*@}"; hostport="${hostport%%/*}"
  host="${hostport%:*}"; port="${hostport##*:}"; [ "$port" = "$hostport" ] && port=6379
  exec 3<>"/dev/tcp/$host/$port" 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}

missing=()
python3 -c 'import numpy' 2>/dev/null || /usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! command -v redis-server >/dev/null && { $deploy || ! redis_answers; }; then missing+=(redis-server); fi
if $deploy && ! command -v ip >/dev/null; then missing+=(iproute2); fi
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "tests need ${missing[*]}; install with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "tests: installing ${missing[*]} with apt-get" >&2
log=$(mktemp -t mtl-apt.XXXXXX)
if ! { apt-get -o DPkg::Lock::Timeout=600 update -qq &&
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 20 "$log" >&2
  echo "tests: apt-get install ${missing[*]} failed (log: $log)" >&2
  exit 1
fi
rm -f "$log"
