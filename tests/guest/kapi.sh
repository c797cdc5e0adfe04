# SPDX-License-Identifier: GPL-2.0
# Crypto API requests by algorithm or driver name from the guest scripts,
# through tests/speed/vcrs_kapi.ko (its comment has the commands): on 7.2 and
# later AF_ALG never reaches an asynchronous driver such as ours, so the
# scripts ask the kernel directly. Source it after lib.sh (pass, fail):
#   . /vcrs/tests/lib.sh
#   . /vcrs/tests/kapi.sh
# The module keeps one result, the last command's: these helpers run one
# command at a time (several writers of the file at once are for load only).

KAPI_MOD=/vcrs/modules/vcrs_kapi.ko
KAPI_RUN=/sys/kernel/debug/vcrs_kapi/run

# kapi_load: loads vcrs_kapi.ko unless it is loaded; fails if its debugfs file
# is not there afterwards.
kapi_load() {
    [ -e "$KAPI_RUN" ] && return 0
    grep -q '^vcrs_kapi ' /proc/modules || insmod "$KAPI_MOD" || return 1
    [ -e "$KAPI_RUN" ]
}

# kapi_last: the result line of the last command (whoever ran it).
kapi_last() { cat "$KAPI_RUN" 2>/dev/null; }

# kapi CMD...: runs one command (skcipher, hash or aead, see vcrs_kapi.c) and
# prints its result line, "ok SERVED OUTHEX" or "err ERRNO STEP"; succeeds for
# "ok". The line stays readable (kapi_last, kapi_out, kapi_served) until the
# next command, also from a subshell: kapi runs in $(...) as well.
kapi() {
    local line
    if ! kapi_load; then
        echo "err load $KAPI_MOD"
        return 1
    fi
    if ! echo "$*" >"$KAPI_RUN"; then
        # The module stored why (err -27 write: longer than it takes).
        kapi_last
        return 1
    fi
    line=$(kapi_last)
    echo "$line"
    case "$line" in
    "ok "*) return 0 ;;
    *) return 1 ;;
    esac
}

# kapi_field N: field N of the last command's result if it was "ok" (2: the
# driver that served it, 3: the output); nothing, and failure, otherwise.
kapi_field() {
    local line
    line=$(kapi_last)
    case "$line" in
    "ok "*) echo "$line" | cut -d' ' -f"$1" ;;
    *) return 1 ;;
    esac
}

# kapi_out: the output (hex, "-" for none) of the last command if it was "ok".
kapi_out() { kapi_field 3; }

# kapi_served: the driver that served the last command if it was "ok" (the
# transform's driver name: which implementation a generic name got).
kapi_served() { kapi_field 2; }

# kapi_short TEXT: TEXT with each word longer than 64 characters (a long
# output) cut to its first 64, for a verdict's reason.
kapi_short() {
    echo "$1" | awk '{ for (i = 1; i <= NF; i++) if (length($i) > 64) $i = substr($i, 1, 64) "...(" length($i) " hex)"; print }'
}

# kapi_matches NAME KIND OURS REF ARGS...: runs "KIND OURS ARGS..." and
# "KIND REF ARGS..." (KIND skcipher, hash or aead; ARGS what follows the
# driver); passes NAME if both are ok with the same output, OURS served the
# first (the transform's driver name) and not the second (a generic REF that
# the kernel gave to OURS proves nothing).
kapi_matches() { kapi_compare "" "$@"; }

# kapi_matches_ref NAME KIND OURS GENERIC ARGS...: kapi_matches with the
# kernel's synchronous implementation of the generic name GENERIC as the
# reference ("sync=1": never an asynchronous driver such as ours), whatever
# the kernel calls it (6.12 cbc(aes-generic), 7.3 cbc-aes-lib...).
kapi_matches_ref() { kapi_compare sync=1 "$@"; }

# kapi_compare REF_OPTION NAME KIND OURS REF ARGS...: both above; REF_OPTION
# (or "") is added to the reference's command.
kapi_compare() {
    local refopt=$1 name=$2 kind=$3 ours=$4 ref=$5 a b
    shift 5
    a=$(kapi "$kind" "$ours" "$@")
    b=$(kapi "$kind" "$ref" "$@" "$refopt")
    case "$a" in "ok $ours "*) ;; *)
        fail "$name" "$ours: $(kapi_short "$a")"
        return 1
        ;;
    esac
    case "$b" in "ok $ours "*)
        fail "$name" "the reference $ref was served by $ours"
        return 1
        ;;
    "ok "*) ;; *)
        fail "$name" "$ref${refopt:+ ($refopt)}: $(kapi_short "$b")"
        return 1
        ;;
    esac
    if [ "${a#"ok $ours "}" = "$(echo "$b" | cut -d' ' -f3)" ]; then
        pass "$name"
    else
        fail "$name" "outputs differ: $(kapi_short "$a") / $(kapi_short "$b")"
        return 1
    fi
}

# kapi_expect NAME HEX CMD...: passes NAME if CMD is ok with output HEX (hex,
# in lowercase; "-" for none): a known answer, or a round trip back to the
# input.
kapi_expect() {
    local name=$1 want=$2 line
    shift 2
    line=$(kapi "$@")
    case "$line" in
    "ok "*) ;;
    *)
        fail "$name" "$(kapi_short "$line")"
        return 1
        ;;
    esac
    if [ "$(echo "$line" | cut -d' ' -f3)" = "$want" ]; then
        pass "$name"
    else
        fail "$name" "got $(kapi_short "$line"), expected $(kapi_short "$want")"
        return 1
    fi
}

# kapi_errno NAME EXPECTED CMD...: passes NAME if CMD fails with the result
# "err EXPECTED", EXPECTED being "ERRNO STEP" ("-22 setkey", "-74 decrypt").
kapi_errno() {
    local name=$1 want=$2 line
    shift 2
    line=$(kapi "$@")
    if [ "$line" = "err $want" ]; then
        pass "$name"
    else
        fail "$name" "got '$(kapi_short "$line")', expected 'err $want'"
        return 1
    fi
}
