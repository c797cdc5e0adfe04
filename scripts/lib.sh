# Shared helpers for the project's shell scripts. Source it, don't run it.

# Repository root, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# Cache for expensive artifacts (kernel builds), outside the repository.
CACHE_DIR="${VCRS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virtio-crypto-rs}"
export CACHE_DIR

# Ensure cargo-installed tools (bindgen) are found.
case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$HOME/.cargo/bin:$PATH" ;; esac
export PATH

: "${VCRS_T0:=$(date +%s)}"
export VCRS_T0

# Prints one progress line with the time elapsed since the first script started.
stage() {
    local now
    now=$(date +%s)
    printf '[%4ds] %s\n' "$((now - VCRS_T0))" "$*"
}

# Prints an error and exits.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}
