#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks the driver's layering: every edge between its modules runs downward.

    check-layering.py [ROOT]      checks ROOT (default: the repository)
    check-layering.py --self-test checks the fixtures in tests/host/layering-fixtures
    check-layering.py --edges     lists every edge between two modules of the repository

The layers, from the bottom up (Documentation/design.rst, "Layers"):

    util, wire, kernel_api, transport, session, device, catalog,
    the services (every folder of virtio_crypto/ not named here), driver

A module may use its own layer and any layer below it; a service may not use
another service. The crate root (virtio_crypto.rs) is above everything. Two
more rules: raw bindings (kernel_api::bindings, kernel::bindings) are used only
inside kernel_api, and the crate root declares every module but kernel_api with
#[forbid(unsafe_code)] (or deny), so that the compiler refuses unsafe code
outside kernel_api. And a third: the cfg that names the target kernel
(vcrs_kernel_*, set by Kbuild from the tree's version) appears only inside
kernel_api, so nothing above it knows which kernel it runs on.

An edge is any path that names another module: `use crate::...` in every form
(grouped, nested, multi-line, `pub use`), paths written in code
(`crate::ahash::job::MAX_DIGEST`, `$crate::...` in macros), `super::` paths that
climb out of a top-level module (from a folder's mod.rs), and `crate::name!` for a
`#[macro_export]` macro, which counts as an edge to the module that defines it.
Comments (doc links included) and string literals are not code and are skipped.

Prints one line per offending edge ("FILE:LINE: FROM -> TO (path): why") and
exits 1 if there is any, 0 otherwise. Python 3 standard library only.
"""

import os
import re
import sys

# The fixed layers, bottom first; every other folder is a service, between
# catalog and driver.
LOWER = ["util", "wire", "kernel_api", "transport", "session", "device", "catalog"]
SERVICE_RANK = len(LOWER)
DRIVER_RANK = SERVICE_RANK + 1
ROOT = "(crate root)"
ROOT_RANK = DRIVER_RANK + 1
SRC = "virtio_crypto"
CRATE_ROOT_FILE = "virtio_crypto.rs"
# The prefix of the cfg names Kbuild sets for the target kernel (vcrs_kernel_7).
KERNEL_CFG = "vcrs_kernel_"


def rank(module):
    if module == ROOT:
        return ROOT_RANK
    if module == "driver":
        return DRIVER_RANK
    if module in LOWER:
        return LOWER.index(module)
    return SERVICE_RANK


def is_service(module):
    return rank(module) == SERVICE_RANK


def layer_name(module):
    return "the service " + module if is_service(module) else module


# ---------------------------------------------------------------- tokenizer

TOKEN_RE = re.compile(
    r"""
      (?P<nl>\n)
    | (?P<ws>[ \t\r\f\v]+)
    | (?P<line_comment>//[^\n]*)
    | (?P<block_open>/\*)
    | (?P<raw_str>(?:b|c|br|cr)?r(?P<hashes>\#*)")
    | (?P<str>(?:b|c)?")
    | (?P<char>(?:b)?'(?:[^'\\\n]|\\(?:[nrt0\\'"]|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,6}\}))')
    | (?P<lifetime>'[A-Za-z_][A-Za-z0-9_]*)
    | (?P<ident>\$?(?:r\#)?[A-Za-z_][A-Za-z0-9_]*)
    | (?P<path_sep>::)
    | (?P<num>[0-9][0-9A-Za-z_.]*)
    | (?P<punct>.)
    """,
    re.VERBOSE,
)


def tokens(text):
    """(kind, value, line) for identifiers, `::` and punctuation; comments and
    literals are skipped, lines counted through them."""
    pos, line, n = 0, 1, len(text)
    while pos < n:
        m = TOKEN_RE.match(text, pos)
        kind = m.lastgroup
        if kind == "hashes":
            kind = "raw_str"
        if kind == "block_open":
            # Block comments nest in Rust.
            depth, i = 1, m.end()
            while depth and i < n:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            line += text.count("\n", pos, i)
            pos = i
            continue
        if kind == "raw_str":
            end = text.find('"' + m.group("hashes"), m.end())
            end = n if end < 0 else end + 1 + len(m.group("hashes"))
            line += text.count("\n", pos, end)
            pos = end
            continue
        if kind == "str":
            i = m.end()
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            end = min(i + 1, n)
            line += text.count("\n", pos, end)
            pos = end
            continue
        pos = m.end()
        if kind == "nl":
            line += 1
        elif kind in ("ident", "path_sep", "punct"):
            yield (kind, m.group(), line)


# ---------------------------------------------------------------- paths


class Path:
    """A path as written: its segments and the line of each."""

    def __init__(self, segs, lines, macro=False):
        self.segs, self.lines, self.macro = segs, lines, macro


def parse_use_tree(toks, i, prefix, plines, out):
    """Parses one use tree from toks[i]; appends every full path to out and
    returns the index after the tree."""
    segs, lines = list(prefix), list(plines)
    if i < len(toks) and toks[i][1] == "::":  # `use ::kernel::...`
        i += 1
    while i < len(toks):
        kind, val, line = toks[i]
        if kind == "ident":
            segs.append(val)
            lines.append(line)
            i += 1
            if i < len(toks) and toks[i][1] == "::":
                i += 1
                continue
            if i + 1 < len(toks) and toks[i][1] == "as":
                i += 2
            out.append(Path(segs, lines))
            return i
        if val == "*":
            out.append(Path(segs, lines))
            return i + 1
        if val == "{":
            i += 1
            while i < len(toks) and toks[i][1] != "}":
                if toks[i][1] == ",":
                    i += 1
                    continue
                i = parse_use_tree(toks, i, segs, lines, out)
            return i + 1
        return i + 1  # unexpected token: skip it
    return i


def paths_of(toks):
    """Yields (Path, module stack) for every path in the token list: each
    full path of a use tree, and each path in code that starts with crate,
    $crate, super or self, or is kernel::bindings. The module stack is the
    inline `mod name { ... }` blocks the path sits in."""
    stack, depth, i = [], 0, 0
    while i < len(toks):
        kind, val, line = toks[i]
        if val == "{":
            depth += 1
        elif val == "}":
            depth -= 1
            if stack and stack[-1][1] == depth:
                stack.pop()
        elif kind == "ident" and val == "mod" and i + 2 < len(toks) \
                and toks[i + 1][0] == "ident" and toks[i + 2][1] == "{":
            stack.append((toks[i + 1][1], depth))
            depth += 1
            i += 3
            continue
        elif kind == "ident" and val == "use":
            out = []
            j = parse_use_tree(toks, i + 1, [], [], out)
            mods = [m for m, _ in stack]
            for p in out:
                yield p, mods
            i = j
            continue
        elif kind == "ident" and (i == 0 or toks[i - 1][1] != "::") \
                and i + 1 < len(toks) and toks[i + 1][1] == "::" \
                and (val in ("crate", "$crate", "super", "self", "kernel")):
            segs, lines, j = [val], [line], i + 1
            while j + 1 < len(toks) and toks[j][1] == "::" and toks[j + 1][0] == "ident":
                segs.append(toks[j + 1][1])
                lines.append(toks[j + 1][2])
                j += 2
            macro = j < len(toks) and toks[j][1] == "!"
            yield Path(segs, lines, macro), [m for m, _ in stack]
            i = j
            continue
        i += 1


def module_path(rel):
    """The module path of a source file: virtio_crypto/device/mod.rs is
    [device], virtio_crypto/kernel_api/crypto/ahash.rs is
    [kernel_api, crypto, ahash]; the crate root is []."""
    if rel == CRATE_ROOT_FILE:
        return []
    parts = rel[len(SRC) + 1:-len(".rs")].split("/")
    if parts[-1] == "mod":
        parts.pop()
    return parts


def resolve(path, here):
    """The absolute module path a path names and the line of each of its
    segments, or None when it does not start in this crate."""
    segs, lines, k = path.segs, path.lines, 0
    if segs[0] in ("crate", "$crate"):
        base, k = [], 1
    elif segs[0] in ("super", "self"):
        base = list(here)
        while k < len(segs) and segs[k] in ("super", "self"):
            if segs[k] == "super":
                base = base[:-1]
            k += 1
    else:
        return None
    # Segments inherited from the file's own module path count on the line
    # where the path starts.
    return base + segs[k:], [lines[0]] * len(base) + lines[k:]


# ---------------------------------------------------------------- the check


def source_files(root):
    files = []
    if os.path.isfile(os.path.join(root, CRATE_ROOT_FILE)):
        files.append(CRATE_ROOT_FILE)
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, SRC)):
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith(".rs"):
                files.append(os.path.relpath(os.path.join(dirpath, f), root))
    return files


def exported_macros(root, files):
    """#[macro_export] macro name -> the top-level module that defines it."""
    macros = {}
    for rel in files:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r"#\[macro_export\]\s*(?:#\[[^\]]*\]\s*)*macro_rules!\s*(\w+)", text):
            mp = module_path(rel)
            macros[m.group(1)] = mp[0] if mp else ROOT
    return macros


MOD_DECL = re.compile(r"((?:[ \t]*#\[[^\]\n]*\][ \t]*\n)*)[ \t]*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;")


def unsafe_lints(root):
    """Each module the crate root declares, but kernel_api, must refuse unsafe
    code: #[forbid(unsafe_code)] (or deny) on its declaration."""
    problems = set()
    with open(os.path.join(root, CRATE_ROOT_FILE), encoding="utf-8") as f:
        text = f.read()
    for m in MOD_DECL.finditer(text):
        name = m.group(2)
        if name == "kernel_api" or re.search(r"\b(forbid|deny)\([^)]*\bunsafe_code\b", m.group(1)):
            continue
        line = text.count("\n", 0, m.start(2)) + 1
        problems.add((CRATE_ROOT_FILE, line, ROOT, name, "mod " + name,
                      "only kernel_api may hold unsafe code: declare it #[forbid(unsafe_code)]"))
    return problems


def check(root, every=False):
    """The offending edges of the tree at root (every edge between two
    modules with every=True), as printable lines."""
    files = source_files(root)
    macros = exported_macros(root, files)
    modules = set(LOWER) | {"driver"}
    if os.path.isdir(os.path.join(root, SRC)):
        modules |= {d for d in os.listdir(os.path.join(root, SRC))
                    if os.path.isdir(os.path.join(root, SRC, d))}
    problems = set() if every else unsafe_lints(root)
    for rel in files:
        here = module_path(rel)
        src = here[0] if here else ROOT
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            toks = list(tokens(f.read()))
        if src != "kernel_api":
            for kind, value, line in toks:
                if kind == "ident" and value.startswith(KERNEL_CFG):
                    problems.add((rel, line, src, "the kernel's version", value,
                                  "only kernel_api chooses by the target kernel"))
        for path, inline in paths_of(toks):
            shown = "::".join(path.segs) + ("!" if path.macro else "")
            if path.segs[0] == "kernel":
                if len(path.segs) > 1 and path.segs[1] == "bindings" and src != "kernel_api":
                    problems.add((rel, path.lines[1], src, "kernel::bindings", shown,
                                  "raw bindings outside kernel_api"))
                continue
            r = resolve(path, here + inline)
            if r is None:
                continue
            absolute, lines = r
            if not absolute or absolute[0] == "self":
                continue  # the crate root itself (`use crate::{self}`)
            first = absolute[0]
            if first in macros and first not in modules:
                dst = macros[first]
            elif first in modules:
                dst = first
            else:
                dst = ROOT  # an item of the crate root
            if dst == "kernel_api" and len(absolute) > 1 and absolute[1] == "bindings" \
                    and src != "kernel_api":
                problems.add((rel, lines[1], src, "kernel_api::bindings", shown,
                              "raw bindings outside kernel_api"))
                continue
            if dst == src:
                continue
            if every:
                why = "edge"
            elif is_service(src) and is_service(dst):
                why = "two services coupled"
            elif rank(dst) > rank(src):
                why = "upward: %s is above %s" % (layer_name(dst), layer_name(src))
            else:
                continue
            problems.add((rel, lines[0], src, dst, shown, why))
    return ["%s:%d: %s -> %s (%s): %s" % p for p in sorted(problems)]


def self_test(fixtures):
    """Each fixture tree holds expected.txt: the lines check() must print for
    it (none for a clean tree). Returns the number of fixtures that differ."""
    bad, names = 0, sorted(d for d in os.listdir(fixtures)
                           if os.path.isdir(os.path.join(fixtures, d)))
    for name in names:
        tree = os.path.join(fixtures, name)
        with open(os.path.join(tree, "expected.txt"), encoding="utf-8") as f:
            expected = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
        got = check(tree)
        if got == expected:
            print("layering self-test %s: %d offending edges, as expected" % (name, len(got)))
        else:
            bad += 1
            print("layering self-test %s: FAILED" % name)
            for l in expected:
                if l not in got:
                    print("  missed:     " + l)
            for l in got:
                if l not in expected:
                    print("  unexpected: " + l)
    kinds = {bool(check(os.path.join(fixtures, n))) for n in names}
    if kinds != {False, True}:
        print("layering self-test: needs a clean fixture and one with offending edges in " + fixtures)
        return 1
    return bad


def main(argv):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if argv[1:] == ["--edges"]:
        for l in check(repo, every=True):
            print(l)
        return 0
    if argv[1:] == ["--self-test"]:
        return 1 if self_test(os.path.join(repo, "tests", "host", "layering-fixtures")) else 0
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(__doc__.strip())
        return 0 if argv[1:] in (["-h"], ["--help"]) else 2
    root = argv[1] if len(argv) == 2 else repo
    if not os.path.isfile(os.path.join(root, CRATE_ROOT_FILE)):
        print("check-layering: no %s in %s" % (CRATE_ROOT_FILE, root), file=sys.stderr)
        return 2
    lines = check(root)
    for l in lines:
        print(l)
    print("layering: %d source files, %d offending edges" % (len(source_files(root)), len(lines)))
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
