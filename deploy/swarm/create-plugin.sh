#!/usr/bin/env bash
# Makes the Docker managed plugin from the Loam image: the image's filesystem becomes the
# plugin's rootfs, config.json beside it says how the engine runs it.
#   deploy/swarm/create-plugin.sh [PLUGIN_NAME] [IMAGE] [POOLS_SOURCE]
# Defaults: PLUGIN_NAME=loam, IMAGE=loam:0.1.0 (built with docker build -f deploy/Dockerfile),
# POOLS_SOURCE=/var/lib/loam (the host folder mounted at /var/lib/loam in the plugin).
# Run it on every node that should use Loam volumes (always on every manager), or push the
# plugin to a registry once (docker plugin push) and docker plugin install it everywhere.
set -euo pipefail
name=${1:-loam}
image=${2:-loam:0.1.0}
pools_source=${3:-/var/lib/loam}
here=$(cd "$(dirname "$0")" && pwd)

# Swarm keys a plugin by its full name, tag included: volumes must name the driver that way.
driver=$name
case ${name##*/} in *:*) ;; *) driver=$name:latest ;; esac

work=$(mktemp -d)
container=""
cleanup() {
  [ -n "$container" ] && docker rm -f "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/rootfs"
container=$(docker create "$image" true)
docker export "$container" | tar -x -C "$work/rootfs"
# The engine bind-mounts these; they must exist in the rootfs.
mkdir -p "$work/rootfs/run/docker/plugins" "$work/rootfs/data/published" "$work/rootfs/data/staged" "$work/rootfs/var/lib/loam"
cp "$here/config.json" "$work/config.json"

# The engine does not create a bind mount's source: docker plugin enable fails until it exists.
mkdir -p "$pools_source"

replaced=false
if docker plugin inspect "$driver" >/dev/null 2>&1; then
  replaced=true
  docker plugin rm --force "$driver" >/dev/null
fi
docker plugin create "$name" "$work"
if [ "$pools_source" != /var/lib/loam ]; then
  docker plugin set "$name" pools.source="$pools_source"
fi

echo "created plugin $driver from $image, pools on the host in $pools_source"
echo "enable it with: docker plugin enable $driver"
echo "name it in volumes as: docker volume create --driver $driver ..."
swarm=$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true)
if [ "$replaced" = true ] && [ "$swarm" = active ]; then
  # Swarm keeps a connection to the plugin it replaced (its socket is gone) until the engine restarts.
  echo "warning: this node's swarm used the plugin just replaced; after enabling, restart dockerd (systemctl restart docker)" >&2
fi
