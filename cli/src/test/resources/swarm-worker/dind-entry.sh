#!/bin/sh
# The worker of SwarmTwoNodeIT: make /sys and the cgroup v1 controller mounts writable, since it
# runs without --privileged (a dockerd lacking CAP_SYS_RESOURCE cannot start privileged containers).
mount -o remount,rw /sys 2>/dev/null || true
mount -o remount,rw /sys/fs/cgroup 2>/dev/null || true
for d in /sys/fs/cgroup/*; do
  [ -L "$d" ] && continue
  mount -o remount,bind,rw "$d" 2>/dev/null || echo "dind-entry: cannot remount $d rw" >&2
done
exec dockerd "$@"
