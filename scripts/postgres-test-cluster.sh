#!/usr/bin/env bash
# Sourced by test.sh: starts a throw-away PostgreSQL cluster on 127.0.0.1 in a temporary folder.
# Sets BOT_TEST_POSTGRES (admin connection string) and BOT_REQUIRE_POSTGRES=1 when it succeeds;
# defines stop_test_postgres. Installs Debian's postgresql when missing and running as root.

PG_TEST_DIR=""
PG_RUN_AS=()

find_pg_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v pg_ctl >/dev/null 2>&1 && dirname "$(command -v pg_ctl)" && return 0
  return 1
}

start_test_postgres() {
  local bin
  if ! bin=$(find_pg_bin); then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "== PostgreSQL is missing: installing Debian's postgresql"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      bin=$(find_pg_bin) || { echo "!! PostgreSQL install failed"; return 1; }
    else
      echo "!! PostgreSQL is not installed and this user cannot install it (not root):"
      echo "!! the PostgreSQL tests are NOT run; SQLite tests run as usual."
      return 2
    fi
  fi

  PG_TEST_DIR=$(mktemp -d /tmp/bot-pgtest.XXXXXX)
  if [ "$(id -u)" = "0" ]; then
    # postgres refuses to run as root: run the throw-away cluster as the postgres system user.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_TEST_DIR"
    PG_RUN_AS=(runuser -u postgres --)
  fi
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 55432)
  "${PG_RUN_AS[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PG_TEST_DIR/initdb.log" 2>&1 \
    || { echo "!! initdb failed:"; cat "$PG_TEST_DIR/initdb.log"; return 1; }
  "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_TEST_DIR -c fsync=off -c max_connections=200" start >/dev/null \
    || { echo "!! PostgreSQL did not start:"; cat "$PG_TEST_DIR/server.log"; return 1; }
  export BOT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  export BOT_REQUIRE_POSTGRES=1
  PG_BIN="$bin"
  echo "== PostgreSQL test cluster on 127.0.0.1:$port ($PG_TEST_DIR)"
}

stop_test_postgres() {
  if [ -n "$PG_TEST_DIR" ] && [ -d "$PG_TEST_DIR/data" ]; then
    "${PG_RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
    echo "== PostgreSQL test cluster stopped"
  fi
}
