#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the test suite and print its URL on stdout (last line).
#
#   scripts/pg-test-server.sh start DIR   -> initdb into DIR, start on a free loopback port, create a database,
#                                            print  postgresql+psycopg://laborcheck@127.0.0.1:PORT/laborcheck_test
#   scripts/pg-test-server.sh stop DIR    -> stop it (the caller removes DIR)
#
# initdb refuses to run as root, so as root the cluster is owned by the `postgres` user (created by the Debian
# package) or, failing that, by `nobody`. Binaries come from PG_BIN, then /usr/lib/postgresql/*/bin, then PATH.
set -euo pipefail

action=${1:?usage: pg-test-server.sh start|stop DIR}
dir=${2:?usage: pg-test-server.sh start|stop DIR}

find_bin() {
  if [[ -n "${PG_BIN:-}" && -x "$PG_BIN/initdb" ]]; then echo "$PG_BIN"; return; fi
  local candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$candidate/initdb" ]]; then echo "$candidate"; return; fi
  done
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  echo "PostgreSQL binaries not found (install the postgresql package: make system-deps)" >&2
  exit 3
}

bin=$(find_bin)
run_as=()
owner=$(id -un)
if [[ $(id -u) == 0 ]]; then
  if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
  run_as=(runuser -u "$owner" --)
fi

case "$action" in
  start)
    mkdir -p "$dir"
    chown "$owner" "$dir" 2>/dev/null || true
    chmod 700 "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U laborcheck --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U laborcheck --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    "${run_as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U laborcheck laborcheck_test
    echo "$port" >"$dir/port"
    echo "postgresql+psycopg://laborcheck@127.0.0.1:$port/laborcheck_test"
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "unknown action $action" >&2
    exit 2
    ;;
esac
