#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Generates the module's Rust bindings with bindgen, using exactly the C flags
# the target kernel's build saved for its own bindings
# (rust/bindings/.bindings_generated.rs.cmd), so that config-dependent structs
# are laid out as the kernel sees them. Called from Kbuild:
#   gen-bindings.sh OBJTREE HEADER OUTPUT
set -euo pipefail
. "$(dirname "$0")/lib.sh"
objtree=$1 header=$2 out=$3
# Absolute, since bindgen runs in the tree: from 6.13 Kbuild builds an external
# module in its own directory, so the paths it passes are relative to that.
header=$(realpath "$header")
out=$(realpath -m "$out")
cmdfile="$objtree/rust/bindings/.bindings_generated.rs.cmd"
[ -f "$cmdfile" ] || die "gen-bindings: $cmdfile missing (is CONFIG_RUST=y and the kernel built?)"

# The libclang of the clang that built the tree (see libclang_dir in lib.sh);
# for a tree compiled by gcc (CONFIG_CLANG_VERSION=0), the one its own Rust
# bindings were generated with, as scripts/stock-kernel.sh recorded it (its
# vcrs-toolchain.mk also exports LIBCLANG_PATH, which wins). Otherwise bindgen
# loads whichever libclang it finds.
clang_version=$(sed -n 's/^CONFIG_CLANG_VERSION=//p' "$objtree/include/config/auto.conf")
if [ "${clang_version:-0}" -gt 0 ]; then
    pin_libclang $((clang_version / 10000))
elif [ -f "$objtree/.vcrs-libclang-major" ]; then
    pin_libclang "$(cat "$objtree/.vcrs-libclang-major")"
fi

# Make's $(pound) escape (7.x) is a '#' in the shell.
# shellcheck disable=SC2016 # $(pound) is make's, matched literally
saved=$(sed -n 's/^savedcmd_[^ ]* := //; T; s/\$(pound)/#/g; p' "$cmdfile")
# The part between `bindgen HEADER` and `-o`: the kernel's bindgen parameters.
params=${saved#* * }
params=${params%% -o *}
# The C flags after `--`, up to the post-processing `; sed`.
cflags=${saved#* -- }
cflags=${cflags%%;*}

eval "set -- $cflags"
keep=()
for f in "$@"; do
    case "$f" in
    -Wp,-MMD,* | -DKBUILD_*) ;;
    *) keep+=("$f") ;;
    esac
done

# Custom derives and attributes (7.x: `MaybeZeroable` from pin_init on every
# struct, `#[cfi_encoding]` on some enums, a feature modules may not enable)
# serve the kernel crate's own bindings; the module's need neither.
eval "set -- $params"
bparams=()
while [ $# -gt 0 ]; do
    case "$1" in
    --with-derive-custom* | --with-attribute-custom*)
        case "$1" in *=*) ;; *) shift ;; esac ;;
    *) bparams+=("$1") ;;
    esac
    shift
done
# Types the kernel's parameters blocklist, defined by hand in its own bindings
# (7.x: __kernel_size_t and the like, as Rust's own integer types).
raw_lines=()
for f in "${bparams[@]}"; do
    case "$f" in
    '__kernel_s?size_t') raw_lines+=(--raw-line 'type __kernel_size_t = usize;' --raw-line 'type __kernel_ssize_t = isize;') ;;
    __kernel_ptrdiff_t) raw_lines+=(--raw-line 'type __kernel_ptrdiff_t = isize;') ;;
    esac
done
cd "$objtree"
bindgen "$header" "${bparams[@]}" \
    --allowlist-function '__register_virtio_driver|unregister_virtio_driver|virtio_reset_device|virtqueue_.*' \
    --allowlist-function 'sg_init_table|sg_nents|sg_nents_for_len|sg_pcopy_to_buffer|sg_pcopy_from_buffer|sg_zero_buffer' \
    --allowlist-function 'crypto_register_skcipher|crypto_unregister_skcipher|crypto_register_ahash|crypto_unregister_ahash|crypto_register_aead|crypto_unregister_aead' \
    --allowlist-function 'complete|wait_for_completion_timeout|__msecs_to_jiffies|msleep|ktime_get|crypto_req_done' \
    --allowlist-function 'down_write|up_write' --allowlist-var 'crypto_alg_sem' \
    --allowlist-function 'crypto_alloc_sync_skcipher|crypto_alloc_shash|crypto_alloc_aead' \
    --allowlist-function 'crypto_register_akcipher|crypto_unregister_akcipher|crypto_alloc_akcipher|rsa_parse_pub_key|rsa_parse_priv_key' \
    --allowlist-function 'destroy_workqueue|get_device|put_device' \
    --allowlist-function 'virtio_device_freeze|virtio_device_restore' \
    --allowlist-var 'VIRTIO_CONFIG_S_.*|VIRTIO_TRANSPORT_F_START|param_ops_bool|param_ops_uint|param_ops_int' \
    --allowlist-type 'kernel_param' --opaque-type 'module' \
    --allowlist-function 'aes_expandkey|aes_preparekey|aes_encrypt|aes_decrypt' \
    --allowlist-function 'vcrs_.*' \
    --allowlist-type 'virtio_crypto_.*|virtio_driver|virtio_device|virtio_device_id|virtqueue|scatterlist' \
    --allowlist-type 'aead_alg|aead_request|crypto_aead|ahash_alg|ahash_request|crypto_ahash|crypto_shash|shash_desc|hash_alg_common|skcipher_alg|skcipher_request|crypto_skcipher|crypto_sync_skcipher|akcipher_alg|akcipher_request|crypto_akcipher|rsa_key|crypto_alg|crypto_async_request|completion|spinlock_t' \
    --allowlist-type 'crypto_aes_ctx|aes_key|aes_encrypt_arg|seq_file|dentry|lock_class_key' \
    --allowlist-var 'VIRTIO_ID_CRYPTO|VIRTIO_F_VERSION_1|VIRTIO_DEV_ANY_ID|VIRTIO_CRYPTO_.*' \
    --allowlist-var 'CRYPTO_ALG_.*|CRYPTO_TFM_REQ_.*|AES_.*|RUST_CONST_HELPER_.*|EINPROGRESS|ETIMEDOUT|ENOKEY|ENAMETOOLONG|EBADMSG|EOVERFLOW|EKEYREJECTED|ENOSYS' \
    --opaque-type 'spinlock_t' \
    "${raw_lines[@]}" \
    -o "$out.tmp" -- "${keep[@]}" -DMODULE
sed -Ei 's/pub const RUST_CONST_HELPER_([a-zA-Z0-9_]*)/pub const \1/g' "$out.tmp"
mv "$out.tmp" "$out"
