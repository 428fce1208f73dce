#!/usr/bin/env bash
# A PostgreSQL server on 127.0.0.1:5432 for the test suite: Debian's package installed when the
# machine has none, the cluster started when it is down. With CI=true a server that cannot be had
# fails the run; elsewhere the suite goes on and its PostgreSQL tests say why they skipped.
set -uo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

fail() {
  echo "PostgreSQL: $*" >&2
  case "${CI:-}" in true|TRUE|True|1|yes|on) exit 1 ;; esac
  echo "PostgreSQL: its tests will be skipped (CI=true would fail here)" >&2
  exit 0
}

ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

fresh=0
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "PostgreSQL: installing Debian's postgresql package" >&2
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $SUDO apt-get install -y -qq --no-install-recommends postgresql; } >/dev/null \
    || fail "cannot install the postgresql package"
  fresh=1
fi
if ! ready; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || fail "no cluster under /etc/postgresql"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || fail "no server answers on 127.0.0.1:5432"
if [ "$fresh" = 1 ]; then
  # A new Debian cluster asks TCP clients for a password: give the test role the one in the URL.
  $SUDO runuser -u postgres -- psql -q -c "ALTER ROLE postgres PASSWORD 'postgres'" \
    || fail "cannot set the postgres role's password"
fi
