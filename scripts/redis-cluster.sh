#!/usr/bin/env bash
# A local Redis Cluster from Debian's redis-server: 3 masters with 1 replica each, on ports
# BASE..BASE+5 (cluster bus on +10000), nothing kept on disk but its node files.
#
#   scripts/redis-cluster.sh start [BASE_PORT] [DIR]   # BASE_PORT defaults to $REDIS_CLUSTER_BASE_PORT or 7101
#   scripts/redis-cluster.sh stop  [BASE_PORT] [DIR]
#
# NODE_TIMEOUT_MS (default 1000) is cluster-node-timeout: a master unreachable this long is failed over.
set -euo pipefail

command_name="${1:-}"
base="${2:-${REDIS_CLUSTER_BASE_PORT:-7101}}"
dir="${3:-/tmp/tsrpc-session-cluster-$base}"
node_timeout="${NODE_TIMEOUT_MS:-1000}"
ports=$(seq "$base" $((base + 5)))

cli() { redis-cli -h 127.0.0.1 -p "$@"; }

start() {
    mkdir -p "$dir"
    rm -f "$dir"/nodes-*.conf
    for port in $ports; do
        redis-server --port "$port" --bind 127.0.0.1 --daemonize yes \
            --cluster-enabled yes --cluster-config-file "$dir/nodes-$port.conf" --cluster-node-timeout "$node_timeout" \
            --save "" --appendonly no --repl-diskless-sync-delay 0 --dir "$dir" --pidfile "$dir/redis-$port.pid" --logfile "$dir/redis-$port.log"
    done
    for port in $ports; do
        for _ in $(seq 1 100); do cli "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
        cli "$port" ping >/dev/null 2>&1 || { echo "redis-server did not start on port $port (see $dir/redis-$port.log)" >&2; exit 1; }
        cli "$port" cluster info >/dev/null 2>&1 || { echo "redis-server on port $port is not in cluster mode" >&2; exit 1; }
    done
    # shellcheck disable=SC2046
    redis-cli --cluster create $(for port in $ports; do printf '127.0.0.1:%s ' "$port"; done) \
        --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 \
        || { cat "$dir/create.log" >&2; exit 1; }
    # Ready when every node sees the slots covered and all 6 nodes, and 3 replicas have synced
    # (a replica that never synced refuses to fail over).
    for _ in $(seq 1 300); do
        ready=1 synced=0
        for port in $ports; do
            info=$(cli "$port" cluster info 2>/dev/null || true)
            grep -q 'cluster_state:ok' <<<"$info" && grep -q 'cluster_known_nodes:6' <<<"$info" || ready=0
            cli "$port" info replication 2>/dev/null | grep -q 'master_link_status:up' && synced=$((synced + 1))
        done
        [ "$ready" = 1 ] && [ "$synced" = 3 ] && { echo "Redis Cluster up on 127.0.0.1:$base-$((base + 5)) ($dir)"; return 0; }
        sleep 0.1
    done
    echo "Redis Cluster on $base-$((base + 5)) did not become ready" >&2
    exit 1
}

stop() {
    for port in $ports; do
        pidfile="$dir/redis-$port.pid"
        cli "$port" shutdown nosave >/dev/null 2>&1 || true
        if [ -f "$pidfile" ]; then kill -9 "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
    rm -rf "$dir"
}

case "$command_name" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop [BASE_PORT] [DIR]" >&2; exit 2 ;;
esac
