#!/usr/bin/env bash
# Runs the whole test suite: the README's test command, and what CI runs. It starts the servers the
# tests need (a throwaway PostgreSQL and an S3-compatible server on loopback) and stops them after.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-services.sh

# What the suite needs beyond Swift, said in one line with how to get it (`.ci/run` installs it all).
missing=()
[ -f /usr/include/sqlite3.h ] || missing+=("SQLite's headers (apt-get install libsqlite3-dev)")
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null ||
    missing+=("PostgreSQL's server (apt-get install postgresql)")
command -v python3 >/dev/null || missing+=("Python 3 (apt-get install python3 python3-pip)")
python3 -c 'import moto.server, boto3, flask' 2>/dev/null || missing+=("moto's S3 server (pip install 'moto[server]')")
python3 -c 'import prometheus_client' 2>/dev/null || missing+=("Prometheus's parser (pip install prometheus_client)")
command -v chromium >/dev/null || missing+=("Chromium (apt-get install chromium)")
if [ ${#missing[@]} -gt 0 ]; then
    printf 'scripts/test.sh needs: %s. .ci/run installs them all.\n' "$(IFS=';'; echo "${missing[*]}" | sed 's/;/; /g')" >&2
    exit 1
fi

trap stop_services EXIT

swift build --build-tests
start_services
export BILLING_ALERT_REQUIRE_SERVICES=1
swift test --skip-build "$@"
