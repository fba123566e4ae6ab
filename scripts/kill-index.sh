#!/bin/sh
# kill-index.sh [N]: builds talksearch, then N times (default 50) starts
# `talksearch index` on a fresh data folder and kills it with SIGKILL at a
# random moment of its first 100 ms. After each kill the index left behind
# must open and `search` must answer (issue 13, finding 3).
set -eu
n=${1:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$(dirname "$0")/.."
go build -o "$work/talksearch" ./cmd/talksearch
for i in $(seq "$n"); do
	data="$work/data-$i"
	"$work/talksearch" index --data "$data" --isolate=false >/dev/null 2>&1 &
	pid=$!
	ms=$(( $(od -An -N1 -tu1 /dev/urandom) % 100 ))
	sleep "$(printf '0.%03d' "$ms")"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if ! "$work/talksearch" search --data "$data" --isolate=false Rechnungen >"$work/out" 2>"$work/err"; then
		echo "kill $i: search failed after the kill:" >&2
		cat "$work/err" >&2
		exit 1
	fi
	grep -q "talks for" "$work/out" || { echo "kill $i: no answer" >&2; exit 1; }
	rm -rf "$data"
done
echo "kill-index: $n kills, the index opened and search answered after each"
