#!/usr/bin/env bash
# How fast `serve` answers its two heaviest pages on a large store: seeds DAYS days of KEYS keys into a
# new SQLite store (through `bench`, release build), serves it, and times the overview and one key page
# over loopback (the median of 7 requests each, after one to warm up). Prints one line per page.
#   scripts/bench_pages.sh [KEYS=25000] [DAYS=90]
set -euo pipefail
cd "$(dirname "$0")/.."
keys=${1:-25000}
days=${2:-90}
swift build -c release --product billing-alert >/dev/null 2>&1
binary=.build/release/billing-alert
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$binary" bench --rows $((keys * 8)) --keys "$keys" --days "$days" --history-keys "$keys" --store "sqlite:$work/bench.sqlite" >/dev/null
printf 'store:\n  url: sqlite:%s/bench.sqlite\narchive:\n  url: file:%s/archive\nalert:\n  syslog: off\n' "$work" "$work" > "$work/settings.yaml"
port=$((20000 + RANDOM % 20000))
"$binary" serve --config "$work/settings.yaml" --port "$port" --no-jobs >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
time_page() {
    local name=$1 path=$2
    curl -s -o "$work/page.html" "http://127.0.0.1:$port$path"
    local times=()
    for _ in 1 2 3 4 5 6 7; do times+=("$(curl -s -o "$work/page.html" -w '%{time_total}' "http://127.0.0.1:$port$path")"); done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 4p)
    echo "$name: median $(awk "BEGIN { printf \"%.0f\", $median * 1000 }") ms of 7, $(wc -c < "$work/page.html") bytes ($keys keys, $days days, SQLite)"
}
time_page overview /
key=$(grep -o 'href="/key[^"]*"' "$work/page.html" | head -1 | sed 's/href="//; s/"$//; s/&amp;/\&/g')
time_page key "$key"
