#!/usr/bin/env bash
# Runs the whole test suite: the README's test command, and what CI runs. It starts the servers the
# tests need (a throwaway PostgreSQL and an S3-compatible server on loopback) and stops them after.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-services.sh
trap stop_services EXIT

swift build --build-tests
start_services
export BILLING_ALERT_REQUIRE_SERVICES=1
swift test --skip-build "$@"
