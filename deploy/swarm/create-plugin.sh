#!/usr/bin/env bash
# Makes the Docker managed plugin from the Loam image: the image's filesystem becomes the
# plugin's rootfs, config.json beside it says how the engine runs it.
#   deploy/swarm/create-plugin.sh [PLUGIN_NAME] [IMAGE]
# Defaults: PLUGIN_NAME=loam, IMAGE=loam:0.1.0 (built with docker build -f deploy/Dockerfile).
# Run it on every node that should use Loam volumes (always on every manager), or push the
# plugin to a registry once (docker plugin push) and docker plugin install it everywhere.
set -euo pipefail
name=${1:-loam}
image=${2:-loam:0.1.0}
here=$(cd "$(dirname "$0")" && pwd)

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

docker plugin rm --force "$name" >/dev/null 2>&1 || true
docker plugin create "$name" "$work"
echo "created plugin $name from $image; set pools with: docker plugin set $name LOAM_POOLS=... pools.source=/host/path"
echo "then: docker plugin enable $name"
