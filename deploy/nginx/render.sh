#!/usr/bin/env bash
# Prints deploy/nginx/talksearch.conf filled in for one deployment:
#   render.sh PREFIX LISTEN REPLICA_ADDR...
# e.g. render.sh /run/talksearch-nginx 127.0.0.1:8080 127.0.0.1:8081 127.0.0.1:8082
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 PREFIX LISTEN REPLICA_ADDR..." >&2
  exit 2
fi
prefix=$1 listen=$2
shift 2
servers=""
for addr in "$@"; do
  servers+="        server $addr max_fails=1 fail_timeout=2s;\\n"
done
sed -e "s|@PREFIX@|$prefix|g" -e "s|@LISTEN@|$listen|g" -e "s|^@SERVERS@\$|${servers%\\n}|" \
  "$(dirname "$0")/talksearch.conf"
