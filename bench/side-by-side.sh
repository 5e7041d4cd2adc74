#!/usr/bin/env bash
# Loam (its NativeAOT build of this tree) and the reference hostpath driver, measured side by side in
# one run on this machine with the same client (loam-bench), each on its own loop-mounted pool image.
# Prints one table, Loam | hostpath | ratio (Loam / hostpath), and keeps every scenario's output in OUT.
# Run as root from anywhere; it installs nothing and removes every mount, loop device and process it
# made, also on failure or Ctrl-C.
#
# Knobs (env): HOSTPATH (reference driver; absent: Loam alone), LOAM_BIN (skip the publish, use this
# binary), OUT (results), REPEAT (start-ups, 9), IDLE_MS (1000), COUNT (provision volumes, 1000),
# PUBLISH_COUNT (20), PUBLISH_SIZE (1Gi), SCALE_COUNT (10000; 0 skips), POOL_GIB (40), POOL_FS (ext4),
# DATAPATH_RUNTIME (seconds per fio job; 0, the default, skips the fio scenario), DATAPATH_FILE_MIB (2048).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# The reference driver beside the checkout (../shared/bin), or beside a worktree's parent.
for HOSTPATH in "${HOSTPATH:-}" "$repo/../shared/bin/hostpathplugin" "$repo/../../shared/bin/hostpathplugin"; do
  [[ -n $HOSTPATH && -x $HOSTPATH ]] && break
done
OUT=${OUT:-$(mktemp -d /tmp/loam-side-by-side.XXXXXX)}
REPEAT=${REPEAT:-9} IDLE_MS=${IDLE_MS:-1000} COUNT=${COUNT:-1000}
PUBLISH_COUNT=${PUBLISH_COUNT:-20} PUBLISH_SIZE=${PUBLISH_SIZE:-1Gi} SCALE_COUNT=${SCALE_COUNT:-10000}
POOL_GIB=${POOL_GIB:-40} POOL_FS=${POOL_FS:-ext4}
DATAPATH_RUNTIME=${DATAPATH_RUNTIME:-0} DATAPATH_FILE_MIB=${DATAPATH_FILE_MIB:-2048}

say() { echo "side-by-side: $*" >&2; }
die() { say "$*"; exit 1; }
[[ $(id -u) == 0 ]] || die "run as root (loop devices and mounts)"
for tool in dotnet jq losetup "mkfs.$POOL_FS"; do
  command -v "$tool" >/dev/null || die "$tool is missing (this script installs nothing)"
done
if [[ $DATAPATH_RUNTIME != 0 ]] && ! command -v fio >/dev/null; then
  say "fio is missing (Debian package fio): skipping the data path"; DATAPATH_RUNTIME=0
fi
with_peer=1
[[ -x $HOSTPATH ]] || { say "no reference driver at $HOSTPATH: measuring Loam alone"; with_peer=0; }

mkdir -p "$OUT"
work=$(mktemp -d /tmp/loam-sbs-work.XXXXXX)
pids=()

unmount_below() {  # deepest first
  awk -v d="$1/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}
detach_below() {
  losetup -n -l -O NAME,BACK-FILE | awk -v d="$1/" 'index($2, d) == 1 { print $1 }' | xargs -r -n1 losetup -d
}
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do timeout 15 tail --pid="$pid" -f /dev/null || kill -9 "$pid" 2>/dev/null || true; done
  unmount_below "$work/mnt"; detach_below "$work/pool"  # volumes first, then the pools they live in
  unmount_below "$work"; detach_below "$work"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One filesystem per driver, on a sparse image: never the root filesystem.
for name in loam hp; do
  truncate -s "${POOL_GIB}G" "$work/$name.img"
  "mkfs.$POOL_FS" -q "$work/$name.img" >/dev/null 2>&1 || "mkfs.$POOL_FS" -f -q "$work/$name.img" >/dev/null
  mkdir -p "$work/pool/$name"
  mount -o loop "$work/$name.img" "$work/pool/$name"
done
mkdir -p "$work/mnt"

if [[ -n ${LOAM_BIN:-} ]]; then loam=$LOAM_BIN; else
  say "publishing Loam (NativeAOT) to $OUT/loam"
  dotnet publish "$repo/src/Driver" -c Release -o "$OUT/loam" >"$OUT/publish.log" ||
    die "publish failed: $OUT/publish.log"
  loam=$OUT/loam/loam
fi
dotnet build "$repo/bench/Loam.Bench" -c Release >"$OUT/bench-build.log" ||
  die "bench build failed: $OUT/bench-build.log"
bench=$repo/bench/Loam.Bench/bin/Release/net10.0/loam-bench

loam_ep=unix://$work/loam.sock hp_ep=unix://$work/hp.sock
loam_cmd="$loam serve --endpoint $loam_ep --node-id n1 --pool default=$work/pool/loam/pool --allowed-root $work/mnt"
hp_cmd="$HOSTPATH --endpoint $hp_ep --nodeid n1 --statedir $work/pool/hp/state --enable-attach"
endpoints=(--endpoint "$loam_ep"); startups=(--exec "$loam_cmd" --endpoint "$loam_ep")
if ((with_peer)); then endpoints+=(--endpoint "$hp_ep"); startups+=(--exec "$hp_cmd" --endpoint "$hp_ep"); fi

run() {  # NAME ARGS...: the table to OUT/NAME.txt, the JSON line to OUT/NAME.json; a failed scenario is left out
  local name=$1; shift
  say "$name: loam-bench $*"
  if "$bench" "$@" 2>&1 | tee "$OUT/$name.txt" >&2; then tail -n 1 "$OUT/$name.txt" >"$OUT/$name.json"
  else say "$name failed (see $OUT/$name.txt): its rows are left out"; fi
}

run startup startup --repeat "$REPEAT" --idle-ms "$IDLE_MS" "${startups[@]}"
$loam_cmd >"$OUT/loam.log" 2>&1 & pids+=($!)
if ((with_peer)); then $hp_cmd >"$OUT/hostpath.log" 2>&1 & pids+=($!); fi
for sock in "$work"/loam.sock $( ((with_peer)) && echo "$work/hp.sock"); do
  for _ in $(seq 100); do [[ -S $sock ]] && break; sleep 0.1; done
done
run provision-c1 provision --count "$COUNT" --concurrency 1 --size 1Mi "${endpoints[@]}"
run provision-c16 provision --count "$COUNT" --concurrency 16 --size 1Mi "${endpoints[@]}"
run publish publish --count "$PUBLISH_COUNT" --size "$PUBLISH_SIZE" --mount-root "$work/mnt" "${endpoints[@]}"
((SCALE_COUNT > 0)) && run scale scale --count "$SCALE_COUNT" --concurrency 16 "${endpoints[@]}"
if [[ $DATAPATH_RUNTIME != 0 ]]; then
  mkdir -p "$work/pool/loam/fio" "$work/pool/hp/fio"
  dirs=(--pool-dir "$work/pool/loam/fio"); ((with_peer)) && dirs+=(--pool-dir "$work/pool/hp/fio")
  run datapath datapath --runtime "$DATAPATH_RUNTIME" --file-mib "$DATAPATH_FILE_MIB" --size 4Gi \
    --param provisioning=thick --mount-root "$work/mnt" "${dirs[@]}" "${endpoints[@]}"
fi

# The table: one row per figure, the value of each driver and Loam / hostpath.
value() { [[ -f $OUT/$1.json ]] && jq -r --argjson i "$2" ".results[\$i].metrics.$3 // empty" "$OUT/$1.json" || true; }
row() {  # LABEL FILE METRIC
  local a b ratio=""
  a=$(value "$2" 0 "$3"); [[ -n $a ]] || return 0
  b=$( ((with_peer)) && value "$2" 1 "$3" || true)
  [[ -n $b && $b != 0 ]] && ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2fx", a / b }')
  printf '| %s | %s | %s | %s |\n' "$1" "$a" "${b:--}" "${ratio:--}"
}
{
  echo "| figure | Loam | hostpath | Loam / hostpath |"
  echo "|---|---|---|---|"
  row "start to first good Probe, p50 of $REPEAT (ms)" startup startup_p50_ms
  row "idle RSS, p50 (MiB)" startup idle_rss_p50_mib
  for c in 1 16; do
    row "CreateVolume/s, concurrency $c" "provision-c$c" create_per_s
    row "CreateVolume p99, concurrency $c (ms)" "provision-c$c" create_p99_ms
    row "DeleteVolume/s, concurrency $c" "provision-c$c" delete_per_s
    row "DeleteVolume p99, concurrency $c (ms)" "provision-c$c" delete_p99_ms
  done
  row "stage + publish, $PUBLISH_COUNT volumes of $PUBLISH_SIZE (volumes/s)" publish stage_publish_per_s
  row "first NodeStage p50 (ms)" publish first_stage_p50_ms
  row "NodePublish p50 (ms)" publish publish_p50_ms
  row "CreateVolume p50 at $SCALE_COUNT volumes, concurrency 16 (ms)" scale "create_p50_ms_at_$SCALE_COUNT"
  row "full ListVolumes at $SCALE_COUNT volumes (ms)" scale "list_ms_at_$SCALE_COUNT"
  for job in randread_4k randwrite_4k; do row "fio $job, volume / pool IOPS" datapath "${job}_iops_ratio"; done
  for job in seqread_1m seqwrite_1m; do row "fio $job, volume / pool MiB/s" datapath "${job}_bw_ratio"; done
  echo
  peer=$( ((with_peer)) && "$HOSTPATH" --version 2>&1 | head -n 1 || echo absent)
  echo "$(date -u +%FT%TZ), $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "$POOL_GIB GiB $POOL_FS pool images; Loam $(git -C "$repo" rev-parse --short HEAD), hostpath: $peer"
  echo "command: REPEAT=$REPEAT COUNT=$COUNT PUBLISH_COUNT=$PUBLISH_COUNT SCALE_COUNT=$SCALE_COUNT" \
    "DATAPATH_RUNTIME=$DATAPATH_RUNTIME bench/side-by-side.sh"
} | tee "$OUT/table.md"
say "outputs in $OUT"
