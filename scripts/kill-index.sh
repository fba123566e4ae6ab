#!/bin/sh
# kill-index.sh [N]: builds talksearch, then N times (default 50) starts
# `talksearch index` on a fresh data folder and kills it with SIGKILL at a
# random moment of its first 100 ms. After each kill the index left behind
# must open and `search` must answer (issue 13, finding 3). Then N/5 times
# it kills `index --force` (a rebuild beside the live index and a swap) at
# a random moment of its first 1.5 s: search must still find all 19
# talks (issue 12, item 7).
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
data="$work/data-swap"
"$work/talksearch" index --data "$data" --isolate=false >/dev/null 2>&1
for i in $(seq $(( (n + 4) / 5 ))); do
	"$work/talksearch" index --force --data "$data" --isolate=false >/dev/null 2>&1 &
	pid=$!
	ms=$(( $(od -An -N2 -tu2 /dev/urandom) % 1500 ))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	"$work/talksearch" search --data "$data" --isolate=false --json "" >"$work/out" 2>"$work/err" || { echo "swap kill $i: search failed:" >&2; cat "$work/err" >&2; exit 1; }
	grep -q '"total": *19' "$work/out" || { echo "swap kill $i: not all 19 talks after the kill" >&2; exit 1; }
done
echo "kill-index: $n kills, the index opened and search answered after each; $(( (n + 4) / 5 )) kills during rebuild and swap lost no talk"
