#!/usr/bin/env bash
# The scale-out path on loopback, without Docker (README, "Scale-out"):
# one writer indexes a copy of the sample corpus, `talksearch publish`
# installs its index into the data folders of 3 read-only replicas
# (`serve --replica`), nginx balances over them. While clients query
# through nginx without pause, a transcript gains a new word, the writer
# re-indexes and publish rolls the new index out to the replicas one
# after the other. It checks that every replica then finds the word,
# that each removed its old index, and that no request failed; it prints
# the counts and exits non-zero on any failure.
#
# Needs go, curl and nginx (apt-get install nginx); runs as any user.
# Settings: TALKSEARCH_SCALE_PORT (nginx's port, default 18080; the
# replicas use the next ones), TALKSEARCH_SCALE_REPLICAS (default 3),
# TALKSEARCH_SCALE_BIN (a built binary instead of go build),
# TALKSEARCH_SCALE_KEEP=1 (keep the work folder).
set -euo pipefail
cd "$(dirname "$0")/.."

port=${TALKSEARCH_SCALE_PORT:-18080}
replicas=${TALKSEARCH_SCALE_REPLICAS:-3}
word=Quokkaprobe # in no deck or transcript of the sample
PATH=$PATH:/usr/sbin:/sbin # nginx, for users whose PATH lacks them

for tool in curl nginx; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (apt-get install $tool)"; exit 2; }
done
work=$(mktemp -d -t talksearch-scale-XXXXXX)
pids=()
cleanup() {
  touch "$work/stop"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${TALKSEARCH_SCALE_KEEP:-}" = 1 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  for f in "$work"/*.log "$work"/nginx/error.log; do [ -s "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
  exit 1
}

ts=${TALKSEARCH_SCALE_BIN:-}
if [ -z "$ts" ]; then
  echo "== build"
  go build -o "$work/talksearch" ./cmd/talksearch
  ts=$work/talksearch
fi

echo "== the writer indexes a copy of the sample"
mkdir -p "$work/corpus"
cp -r corpus/sample/itf2018 "$work/corpus/"
"$ts" index --data "$work/writer" --corpus "$work/corpus" >"$work/index-1.log" 2>&1 || fail "index"

echo "== $replicas replicas and nginx on 127.0.0.1:$port"
dirs=() addrs=()
for i in $(seq 1 "$replicas"); do
  addr=127.0.0.1:$((port + i))
  dirs+=("$work/replica-$i") addrs+=("$addr")
  "$ts" serve --replica --data "$work/replica-$i" --addr "$addr" --trust-proxy >"$work/replica-$i.log" 2>&1 &
  pids+=($!)
done
"$ts" publish --data "$work/writer" "${dirs[@]}" >"$work/publish-1.log" 2>&1 || fail "first publish"
mkdir -p "$work/nginx"
deploy/nginx/render.sh "$work/nginx" "127.0.0.1:$port" "${addrs[@]}" >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)
lb=http://127.0.0.1:$port
for _ in $(seq 1 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$lb/readyz")" = 200 ] && break
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$lb/readyz")" = 200 ] || fail "nginx does not answer /readyz with 200"

total() { # total of a search, from the JSON API
  curl -s "$1/api/v1/search?size=1&q=$2" | grep -o '"total":[0-9]*' | head -n 1 | cut -d: -f2
}
[ "$(total "$lb" "$word")" = 0 ] || fail "$word is found before it was added"

echo "== clients query through nginx without pause"
urls=()
for _ in $(seq 1 10); do
  for u in "/api/v1/search?q=Rechnung" "/?q=Digitalisierung+Schulen" "/api/v1/search?q=$word"; do
    urls+=(-o /dev/null "$lb$u") # one -o per URL: curl keeps the connection for all
  done
done
for c in 1 2 3 4; do
  (
    while [ ! -e "$work/stop" ]; do
      curl -s -w '%{http_code}\n' "${urls[@]}" >>"$work/codes-$c" || true
    done
  ) &
  pids+=($!)
done
sleep 1

echo "== a transcript gains \"$word\"; the writer re-indexes; publish rolls it out"
t=$(ls "$work"/corpus/itf2018/transcripts/*.txt | head -n 1)
printf '\nModeration: Zum Schluss noch ein Wort zur %s.\n' "$word" >>"$t"
"$ts" index --data "$work/writer" >"$work/index-2.log" 2>&1 || fail "index after the change"
"$ts" publish --data "$work/writer" "${dirs[@]}" | tee "$work/publish-2.log" || fail "second publish"

echo "== every replica finds \"$word\" and has removed its old index"
for i in $(seq 1 "$replicas"); do
  n=$(total "http://${addrs[i - 1]}" "$word")
  [ "$n" = 1 ] || fail "replica $i finds $word in ${n:-no} talks, want 1"
  gens() { find "${dirs[i - 1]}" -mindepth 1 -maxdepth 1 -type d -name 'index*' | wc -l; }
  for _ in $(seq 1 50); do
    [ "$(gens)" = 1 ] && break
    sleep 0.1
  done
  [ "$(gens)" = 1 ] || fail "replica $i keeps old index generations: $(ls "${dirs[i - 1]}")"
done
[ "$(total "$lb" "$word")" = 1 ] || fail "nginx: $word not found after the rollout"
sleep 1
touch "$work/stop"
for pid in "${pids[@]:replicas+1}"; do wait "$pid" 2>/dev/null || true; done

requests=$(cat "$work"/codes-* | wc -l)
failed=$(cat "$work"/codes-* | grep -cv '^200$' || true)
echo "requests through nginx: $requests, failed: $failed"
[ "$requests" -gt 0 ] || fail "no request was made"
if [ "$failed" != 0 ]; then
  cat "$work"/codes-* | sort | uniq -c
  fail "$failed of $requests requests failed during the rollout"
fi
echo PASS
