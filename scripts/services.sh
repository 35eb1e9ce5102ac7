#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1: start them when installed but stopped, and
# install them from Debian's packages when missing (as root, e.g. on a fresh CI machine).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}
wait_for() {  # wait_for NAME COMMAND...: up to 30 s
  local name=$1; shift
  for _ in $(seq 60); do "$@" >/dev/null 2>&1 && { echo "$name is up"; return 0; }; sleep 0.5; done
  echo "$name did not come up" >&2; return 1
}

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q; }
if ! command -v pg_isready >/dev/null 2>&1 || ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt_install postgresql
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    # A fresh cluster asks for passwords on TCP; the tests connect as postgres on loopback only.
    hba=/etc/postgresql/$version/main/pg_hba.conf
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for PostgreSQL pg_up
else
  echo "PostgreSQL is up"
fi

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG; }
if ! command -v redis-cli >/dev/null 2>&1 || ! redis_up; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis redis_up
else
  echo "Redis is up"
fi
