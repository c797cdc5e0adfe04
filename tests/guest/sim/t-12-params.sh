# SPDX-License-Identifier: GPL-2.0
# The module parameters (declared in Rust: kernel_api/module_param.rs): each
# appears in sysfs with its permissions and default, takes a value at run time
# where writable, and at load time; modinfo shows each one's type and
# description (when the guest's modinfo can show them).

P=/sys/module/virtio_crypto_rs/parameters
# `command`: lib.sh's insmod adds force_software=1 in --software runs.
check params-insmod command insmod "$MOD"
expect_eq params-permissions "$(stat -c %a $P/probe_unadvertised $P/request_timeout_ms $P/force_software | tr '\n' ' ')" "444 644 644 "
expect_eq params-defaults "$(cat $P/probe_unadvertised $P/request_timeout_ms $P/force_software | tr '\n' ' ')" "N 30000 N "
check params-set-force-software sh -c "echo 1 >$P/force_software"
expect_eq params-force-software-set "$(cat $P/force_software)" Y
check params-set-timeout sh -c "echo 12345 >$P/request_timeout_ms"
expect_eq params-timeout-set "$(cat $P/request_timeout_ms)" 12345
check params-rmmod rmmod virtio_crypto_rs
check params-insmod-with-values command insmod "$MOD" force_software=1 request_timeout_ms=0 probe_unadvertised=1
expect_eq params-load-values "$(cat $P/probe_unadvertised $P/request_timeout_ms $P/force_software | tr '\n' ' ')" "Y 0 Y "
check params-rmmod-again rmmod virtio_crypto_rs
if modinfo -F parm "$MOD" >/tmp/params.parm 2>/dev/null && [ -s /tmp/params.parm ]; then
    for p in probe_unadvertised request_timeout_ms force_software; do
        check "params-modinfo-$p" grep -q "^$p:..*" /tmp/params.parm
    done
else
    echo "-- t-12: no modinfo -F parm in this guest; descriptions checked on the host"
fi
rm -f /tmp/params.parm
