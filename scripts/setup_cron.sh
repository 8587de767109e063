#!/usr/bin/env bash
# Installs, removes or shows billing-alert's cron entries, as the tutorial's setup_cron.sh did:
# the hourly job at :10 and the daily job at schedule.dailyAt (02:30 KST by default), with output
# appended to logs/hourly.log and logs/daily.log.
#
#   scripts/setup_cron.sh add|remove|show [--config PATH] [--crontab-file PATH]
#
# It runs `billing-alert cron ...`; set BILLING_ALERT_BIN to use a binary you built or installed,
# otherwise a release build in .build/release is made (once) and used.
set -euo pipefail

action="${1:-}"
case "$action" in
    add | remove | show) shift ;;
    *)
        echo "usage: $0 add|remove|show [--config PATH] [--crontab-file PATH]" >&2
        exit 64
        ;;
esac

bin="${BILLING_ALERT_BIN:-}"
if [ -z "$bin" ]; then
    root="$(cd "$(dirname "$0")/.." && pwd)"
    bin="$root/.build/release/billing-alert"
    if [ ! -x "$bin" ]; then
        echo "building billing-alert (release) for cron; this takes a few minutes once" >&2
        (cd "$root" && swift build -c release --product billing-alert >&2)
    fi
fi

exec "$bin" cron "$action" "$@"
