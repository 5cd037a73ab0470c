#!/usr/bin/env bash
# The test command: restores, builds, installs the npm test server and (as root, when missing) Debian's chromium for
# the browser tests, starts a throw-away PostgreSQL on 127.0.0.1, runs every test project against SQLite and PostgreSQL,
# stops the cluster. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
source scripts/postgres-test-cluster.sh
source scripts/chromium-for-tests.sh

dotnet restore BotHost.sln || exit 1
dotnet build BotHost.sln -c Release --no-restore -nologo -clp:ErrorsOnly || exit 1
# A Bot API server no one here wrote, for the Telegram conversation test: npm's telegram-test-api, pinned by package-lock.json.
npm ci --prefix tests/telegram-test-api --no-audit --no-fund --loglevel=error || exit 1

ensure_test_chromium || exit 1

start_test_postgres
case $? in
  0) ;;
  2) unset BOT_REQUIRE_POSTGRES ;;
  *) echo "!! could not start PostgreSQL for the tests"; stop_test_postgres; exit 1 ;;
esac
trap stop_test_postgres EXIT

status=0
for project in tests/*/*.csproj; do
  echo "== $project"
  dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=minimal" || status=1
done
exit $status
