#!/bin/busybox sh
# PID 1 of the VM lane's guest (packed as /init by tests/vm/lane.sh). Sets up a pure cgroup v2 hierarchy with every
# controller the kernel offers, swap on zram0 and a small test disk on zram1, then runs /vm/guest.sh and powers off.
# Everything the lane reads comes over the serial console (ttyS0) as lines; guest.sh prints "LANE-END" last.
/bin/busybox --install -s /bin
export PATH=/bin:/opt/pm HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=755 tmpfs /lane
exec </dev/null >/dev/ttyS0 2>&1
dmesg -n 1
say() { echo "LANE-INIT [$(cut -d' ' -f1 /proc/uptime)] $*"; }
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup || { say "FAILED: mount cgroup2"; poweroff -f; }
ctrls=""
for c in $(cat /sys/fs/cgroup/cgroup.controllers); do ctrls="$ctrls +$c"; done
echo "$ctrls" > /sys/fs/cgroup/cgroup.subtree_control || say "could not enable$ctrls"
modprobe zram num_devices=2 || say "modprobe zram failed"
if [ -e /sys/block/zram0 ]; then
  echo 256M > /sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 || say "zram swap failed"
  echo 64M > /sys/block/zram1/disksize || say "zram1 disk failed"
fi
hostname pmvm
say "ready: kernel $(uname -r); controllers$ctrls; swap $(awk '/SwapTotal/{print $2 $3}' /proc/meminfo)"
sh /vm/guest.sh
say "guest.sh exited with $?"
sync
poweroff -f
