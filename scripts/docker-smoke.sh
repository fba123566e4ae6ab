#!/usr/bin/env bash
# docker-smoke.sh builds the image with docker-compose.yml, starts it, checks
# /healthz, /readyz, a search and the container's health, and tears it all
# down again. It prints PASS or FAIL and exits non-zero on failure.
#
# What it sets up when missing (as root, from Debian's packages): docker.io
# (dockerd), docker-compose (v1; `docker compose` v2 is used when present),
# curl, python3, and the base images (scripts/docker-base-image.sh).
#
# When no Docker daemon answers it starts its own, and stops it at the end:
#   dockerd --bridge=none --iptables=false --ip6tables=false --ip-forward=false
# with its own socket (/run/talksearch-docker-smoke/docker.sock) and data root
# (/var/lib/talksearch-docker-smoke, kept so that a second run reuses images and
# layers). It creates no network interface, firewall rule or sysctl change:
# builds and the container use host networking (scripts/docker-compose.smoke.yml)
# and the service listens on 127.0.0.1:$TALKSEARCH_SMOKE_PORT only.
#
# Usage: scripts/docker-smoke.sh
# Environment:
#   TALKSEARCH_SMOKE_TIMEOUT  seconds for the whole run (default 900)
#   TALKSEARCH_SMOKE_READY    seconds to wait for /readyz after start (default 180)
#   TALKSEARCH_SMOKE_PORT     loopback port (default: a free one)
#   TALKSEARCH_SMOKE_QUERY    search query (default Rechnungen)
#   TALKSEARCH_SMOKE_CORPUS_DIR  index this host folder (mounted at /corpus)
#                             instead of the sample embedded in the binary
#   TALKSEARCH_SMOKE_KEEP=1   leave the container and its volume running
#   TALKSEARCH_SMOKE_PURGE=1  delete the data root of a dockerd it started
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

timeout_total=${TALKSEARCH_SMOKE_TIMEOUT:-900}
timeout_ready=${TALKSEARCH_SMOKE_READY:-180}
port=${TALKSEARCH_SMOKE_PORT:-}
query=${TALKSEARCH_SMOKE_QUERY:-Rechnungen}
project=talksearch-smoke
state=/run/talksearch-docker-smoke
data_root=/var/lib/talksearch-docker-smoke
corpus_dir=${TALKSEARCH_SMOKE_CORPUS_DIR:-}
if [[ -n $corpus_dir ]]; then
	[[ -d $corpus_dir ]] || { echo "TALKSEARCH_SMOKE_CORPUS_DIR=$corpus_dir is not a folder" >&2; exit 2; }
	corpus_dir=$(cd "$corpus_dir" && pwd)
fi
# Only the smoke test's own settings reach compose (see env_file below).
unset TALKSEARCH_CORPUS TALKSEARCH_CORPUS_DIR TALKSEARCH_PORT

# One run at a time: they would share the project, the port and the dockerd.
exec 9>/tmp/talksearch-docker-smoke.lock
if ! flock -n 9; then
	echo "docker-smoke: another run holds /tmp/talksearch-docker-smoke.lock; waiting up to 10 minutes" >&2
	flock -w 600 9 || { echo "FAIL: docker smoke test (lock not free)"; exit 1; }
fi

# The original stdout and stderr, for cleanup: a trap runs with the
# redirections of the command it interrupted (a build log, say).
exec 7>&1 8>&2

t0=$(date +%s)
deadline=$((t0 + timeout_total))
started_dockerd=0
dockerd_pid=
result=FAIL
cid=
body=

log() { printf '[smoke %4ds] %s\n' "$(($(date +%s) - t0))" "$*" >&2; }
fail() {
	log "error: $*"
	exit 1
}
# bounded runs a command with what is left of TALKSEARCH_SMOKE_TIMEOUT. It
# runs in the background with a `wait`, which a signal interrupts, so that a
# TERM sent to this script alone is handled at once (see cleanup).
child=
bounded() {
	local left=$((deadline - $(date +%s))) rc=0
	if ((left <= 0)); then
		log "out of time (TALKSEARCH_SMOKE_TIMEOUT=${timeout_total}s) before: $*"
		return 124
	fi
	timeout --kill-after=10 "$left" "$@" &
	child=$!
	wait "$child" || rc=$?
	child=
	if ((rc == 124 || rc == 137)); then
		log "out of time (TALKSEARCH_SMOKE_TIMEOUT=${timeout_total}s) in: $*"
	fi
	return "$rc"
}

# ---- tools -----------------------------------------------------------------

apt_install() {
	[[ $EUID -eq 0 ]] || fail "missing $*; run as root or install them"
	log "apt-get install $*"
	# Keep invoke-rc.d from starting the packaged dockerd with its default
	# bridge and iptables rules (there is no systemd here).
	local made_policy=0
	if [[ ! -e /usr/sbin/policy-rc.d ]]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		made_policy=1
	fi
	local apt=(apt-get -o DPkg::Lock::Timeout=300 -q)
	local rc=0
	{ bounded "${apt[@]}" update >/dev/null &&
		DEBIAN_FRONTEND=noninteractive bounded "${apt[@]}" install -y --no-install-recommends "$@" >/dev/null; } || rc=$?
	[[ $made_policy -eq 0 ]] || rm -f /usr/sbin/policy-rc.d
	[[ $rc -eq 0 ]] || fail "apt-get install $* failed ($rc)"
}

# A client that builds with BuildKit (the Dockerfile's cache mount needs it):
# one with the buildx plugin, or a client older than 23 (Debian's docker.io
# 20.10 has BuildKit built in; /usr/local/bin/docker 28 without buildx has not).
old_buildkit_client() {
	local v
	v=$(/usr/bin/docker --version 2>/dev/null) || return 1 # "Docker version 20.10.24+dfsg1, build ..."
	v=${v#Docker version }
	[[ ${v%%.*} =~ ^[0-9]+$ ]] && ((${v%%.*} < 23))
}

pkgs=()
if ! command -v dockerd >/dev/null && ! docker info >/dev/null 2>&1; then
	pkgs+=(docker.io)
elif ! docker buildx version >/dev/null 2>&1 && ! old_buildkit_client; then
	pkgs+=(docker.io)
fi
command -v curl >/dev/null || pkgs+=(curl)
command -v python3 >/dev/null || pkgs+=(python3)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then
	pkgs+=(docker-compose)
fi
[[ ${#pkgs[@]} -eq 0 ]] || apt_install "${pkgs[@]}"
command -v docker >/dev/null || fail "no docker client"

shim=
if ! docker buildx version >/dev/null 2>&1; then
	old_buildkit_client || fail "no docker client that can build with BuildKit (install the buildx plugin)"
	# Put Debian's client first in PATH, for this script and for compose.
	shim=$(mktemp -d /tmp/talksearch-smoke-bin.XXXXXX)
	ln -s /usr/bin/docker "$shim/docker"
	PATH=$shim:$PATH
fi
export DOCKER_BUILDKIT=1
if docker compose version >/dev/null 2>&1; then
	compose_cmd=(docker compose)
else
	compose_cmd=(docker-compose)
	# v1 builds through the API with the legacy builder unless told to run
	# `docker build`.
	export COMPOSE_DOCKER_CLI_BUILD=1
fi
# A free loopback port: the host network is shared with whatever else runs here.
if [[ -z $port ]]; then
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
	fail "something already answers on 127.0.0.1:$port; set TALKSEARCH_SMOKE_PORT"
fi
export TALKSEARCH_SMOKE_PORT=$port

log "client: $(command -v docker) $(docker version --format '{{.Client.Version}}' 2>/dev/null || true); compose: ${compose_cmd[*]} $("${compose_cmd[@]}" version --short 2>/dev/null || true)"

# ---- teardown --------------------------------------------------------------

# compose is "docker compose" or "docker-compose" with the project and files;
# an array, not a function, so that timeout can run it. Its own --env-file
# keeps a developer's .env out of the smoke test. After the build it is
# switched to the rendered file (see below).
env_file=$(mktemp /tmp/talksearch-smoke-env.XXXXXX)
if [[ -n $corpus_dir ]]; then
	printf 'TALKSEARCH_CORPUS_DIR=%s\nTALKSEARCH_CORPUS=/corpus\n' "$corpus_dir" >"$env_file"
fi
rendered=$(mktemp /tmp/talksearch-smoke-compose.XXXXXX.json)
compose_base=("${compose_cmd[@]}" --env-file "$env_file" -p "$project"
	-f "$repo/docker-compose.yml" -f "$repo/scripts/docker-compose.smoke.yml")
compose=("${compose_base[@]}")

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	exec 1>&7 2>&8
	if [[ -n $child ]]; then
		# timeout passes the TERM on to the command it runs.
		kill -TERM "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	if [[ $result != PASS && -n $cid ]]; then
		log "container logs (last 60 lines):"
		docker logs --tail 60 "$cid" >&2 2>&1 || true
	fi
	if [[ ${TALKSEARCH_SMOKE_KEEP:-0} = 1 ]]; then
		log "TALKSEARCH_SMOKE_KEEP=1: left $project (and a dockerd it started) running; stop with:"
		log "  DOCKER_HOST=${DOCKER_HOST:-} ${compose_cmd[*]} -p $project -f docker-compose.yml -f scripts/docker-compose.smoke.yml down -v"
		log "  and run this script again, or kill \$(cat $state/dockerd.pid)"
	else
		timeout 60 "${compose_base[@]}" down -v --remove-orphans --timeout 10 >/dev/null 2>&1 ||
			log "warning: compose down failed"
		stop_dockerd
	fi
	rm -f "${body:-}" "$env_file" "$rendered" "$rendered.in"
	[[ -z $shim ]] || rm -rf "$shim"
	local took=$(($(date +%s) - t0))
	if [[ $result = PASS && $rc -eq 0 ]]; then
		echo "PASS: docker smoke test (${took}s)"
	else
		echo "FAIL: docker smoke test (${took}s)"
		[[ $rc -ne 0 ]] || rc=1
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- daemon ----------------------------------------------------------------

stop_dockerd() {
	[[ $started_dockerd -eq 1 ]] || return 0
	local pid=$dockerd_pid
	[[ -n $pid ]] || pid=$(cat "$state/dockerd.pid" 2>/dev/null) || return 0
	# Never signal a stranger that reused the pid of a stale pidfile.
	[[ $(cat "/proc/$pid/comm" 2>/dev/null) = dockerd ]] || return 0
	log "stopping dockerd (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 30); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "dockerd did not stop in 30s; killing it and its containerd"
		kill -KILL "$pid" 2>/dev/null || true
		local cpid
		if cpid=$(cat "$state/exec/containerd/containerd.pid" 2>/dev/null); then
			kill -KILL "$cpid" 2>/dev/null || true
		fi
	fi
	# dockerd leaves its bind mount of the host's network namespace behind.
	if mountpoint -q "$state/exec/netns/default" 2>/dev/null; then
		umount "$state/exec/netns/default" 2>/dev/null || true
	fi
	if [[ ${TALKSEARCH_SMOKE_PURGE:-0} = 1 ]]; then
		log "removing $data_root"
		rm -rf "$data_root"
	fi
}

if docker info >/dev/null 2>&1; then
	log "using the Docker daemon at ${DOCKER_HOST:-the default socket}"
else
	export DOCKER_HOST=unix://$state/docker.sock
	# A run that was killed may have left its dockerd behind: take it over.
	started_dockerd=1
	if docker info >/dev/null 2>&1; then
		log "reusing dockerd left by an earlier run at $DOCKER_HOST"
	else
		[[ $EUID -eq 0 ]] || fail "no Docker daemon answers and starting one needs root"
		mkdir -p "$state" "$data_root"
		log "starting dockerd at $DOCKER_HOST (log: $state/dockerd.log)"
		# setsid: its own process group, so that a Ctrl-C or a timeout reaches
		# this script (which then stops it in order) and not dockerd directly.
		# Closing 9 keeps the run lock from living on in dockerd.
		setsid dockerd \
			--host "$DOCKER_HOST" \
			--data-root "$data_root" \
			--exec-root "$state/exec" \
			--pidfile "$state/dockerd.pid" \
			--bridge=none --iptables=false --ip6tables=false \
			--ip-forward=false --ip-masq=false \
			>"$state/dockerd.log" 2>&1 </dev/null 7>&- 8>&- 9>&- &
		dockerd_pid=$! # setsid execs dockerd in place: not a group leader here
		for i in $(seq 1 60); do
			docker info >/dev/null 2>&1 && break
			[[ $i -lt 60 ]] || { tail -n 20 "$state/dockerd.log" >&2; fail "dockerd did not answer in 60s"; }
			sleep 1
		done
	fi
fi

# ---- build and run ---------------------------------------------------------

bounded "$repo/scripts/docker-base-image.sh"

# Left over from a run that was killed before its teardown.
bounded "${compose[@]}" down -v --remove-orphans --timeout 5 >/dev/null 2>&1 || true

# Host networking and the main file's ports mapping don't mix (compose v1
# refuses; v2 would need `!reset`, which v1 can't read), and an override can
# only add ports. So render the merged configuration, drop `ports` and run
# that; the rendered file is JSON, which compose reads as YAML.
py=python3
[[ ${compose_cmd[0]} = docker ]] || ! /usr/bin/python3 -c 'import yaml' 2>/dev/null || py=/usr/bin/python3
cfg_args=(config)
[[ ${compose_cmd[0]} != docker ]] || cfg_args+=(--format json)
bounded "${compose[@]}" "${cfg_args[@]}" >"$rendered.in" || fail "compose config failed"
"$py" - "$rendered.in" "$rendered" <<'EOF' || fail "could not render the compose configuration"
import json, sys
src, dst = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
try:
    cfg = json.loads(text)
except ValueError:
    import yaml  # compose v1 prints YAML; Debian's docker-compose brings PyYAML
    cfg = yaml.safe_load(text)
cfg["services"]["talksearch"].pop("ports", None)
with open(dst, "w", encoding="utf-8") as f:
    json.dump(cfg, f, indent=2)
EOF
rm -f "$rendered.in"
compose=("${compose_cmd[@]}" --env-file "$env_file" -p "$project" --project-directory "$repo" -f "$rendered")

log "building talksearch:local"
bounded "${compose[@]}" build >"/tmp/talksearch-smoke-build.log" 2>&1 ||
	{ tail -n 40 /tmp/talksearch-smoke-build.log >&2; fail "build failed (log: /tmp/talksearch-smoke-build.log)"; }
log "built"

bounded "${compose[@]}" up -d >/dev/null 2>"/tmp/talksearch-smoke-up.log" ||
	{ cat /tmp/talksearch-smoke-up.log >&2; fail "compose up failed"; }
cid=$("${compose[@]}" ps -q talksearch)
[[ -n $cid ]] || fail "no container for service talksearch"
log "started container ${cid:0:12} (corpus: ${corpus_dir:-the embedded sample}); waiting for http://127.0.0.1:$port/readyz"

base=http://127.0.0.1:$port
# get URL: prints the HTTP status (000 when nothing answers); body to $body.
body=$(mktemp /tmp/talksearch-smoke-body.XXXXXX)
get() { curl -s -o "$body" -w '%{http_code}' --max-time 5 "$1" || true; }

ready_by=$(($(date +%s) + timeout_ready))
while :; do
	status=$(docker inspect -f '{{.State.Status}}' "$cid" 2>/dev/null || echo gone)
	[[ $status = running ]] || fail "container is $status"
	code=$(get "$base/readyz")
	[[ $code != 200 ]] || break
	[[ $(date +%s) -lt $ready_by ]] || fail "/readyz not 200 after ${timeout_ready}s (last: $code)"
	[[ $(date +%s) -lt $deadline ]] || fail "out of time (TALKSEARCH_SMOKE_TIMEOUT=${timeout_total}s)"
	sleep 1
done
log "ready"

code=$(get "$base/healthz")
[[ $code = 200 ]] || fail "/healthz answered $code"

url="$base/api/v1/search?q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")"
code=$(get "$url")
[[ $code = 200 ]] || fail "GET $url answered $code: $(head -c 300 "$body")"
python3 - "$body" "$query" <<'EOF' || fail "unexpected search response from $url"
import json, sys
path, query = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    raw = f.read()
try:
    r = json.loads(raw)
except ValueError as e:
    sys.exit(f"not JSON ({e}): {raw[:300]!r}")
if not isinstance(r, dict):
    sys.exit(f"not a JSON object: {raw[:300]!r}")
total = r.get("total")
if not isinstance(total, int) or total < 1:
    sys.exit(f"total = {total!r}, want >= 1: {raw[:300]!r}")
data = r.get("data")
if not isinstance(data, list) or not data:
    sys.exit(f"data = {str(data)[:200]}, want a non-empty list")
print(f"search {query!r}: total {total}, first hit: {json.dumps(data[0], ensure_ascii=False)[:200]}", file=sys.stderr)
EOF

uid=$(docker exec "$cid" id -u)
[[ $uid != 0 ]] || fail "the container runs as root"
pid1=$(docker exec "$cid" cat /proc/1/comm)

# The image's HEALTHCHECK (every 2s in the smoke override) must agree.
for _ in $(seq 1 30); do
	health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$cid")
	[[ $health = starting ]] || break
	sleep 1
done
[[ $health = healthy ]] || fail "docker health is '$health', want healthy"
log "health: $health; uid: $uid; pid 1: $pid1"

result=PASS
