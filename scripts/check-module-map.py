#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that Documentation/design.rst's module map lists every source file.

    check-module-map.py [ROOT]       checks ROOT (default: the repository)
    check-module-map.py --self-test  checks the check on trees it builds in a temporary folder

The map is the "Module map" section of design.rst: under a heading per folder
(a definition list's term: a line starting with ``folder/``, or
``virtio_crypto.rs`` for the crate root, followed by indented lines), one line
per file:

  - ``folder/file.rs``: its one concern.

with paths relative to virtio_crypto/ (the crate root: virtio_crypto.rs). It
fails when a source file (virtio_crypto.rs, every .rs, .c, .h and .S file under
virtio_crypto/ but the generated bindings) is not listed, when a listed file
does not exist or is listed twice, when a file is listed under another
folder's heading, when a line has no concern or runs on to the next line, or
when the folders are not in the order of the layers (scripts/check-layering.py).
Prints one line per problem and exits 1 if there is any, 0 otherwise. Python 3
standard library only.
"""

import importlib.util
import os
import re
import shutil
import sys
import tempfile

DOC = os.path.join("Documentation", "design.rst")
SRC = "virtio_crypto"
CRATE_ROOT_FILE = "virtio_crypto.rs"
EXTENSIONS = (".rs", ".c", ".h", ".S")
# Produced by the build (Kbuild, scripts/gen-bindings.sh), ignored by git.
GENERATED = {"kernel_api/bindings_generated.rs"}

HEADING = re.compile(r"^``([^`]+)``")
ENTRY = re.compile(r"^  - ``([^`]+)``:(.*)$")
UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1+$")


def layering():
    """scripts/check-layering.py, for the order of the layers."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.dont_write_bytecode = True  # no scripts/__pycache__
    spec = importlib.util.spec_from_file_location("check_layering",
                                                  os.path.join(here, "check-layering.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def source_files(root):
    """The driver's source files, as the map names them."""
    files = []
    if os.path.isfile(os.path.join(root, CRATE_ROOT_FILE)):
        files.append(CRATE_ROOT_FILE)
    top = os.path.join(root, SRC)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            rel = os.path.relpath(os.path.join(dirpath, f), top).replace(os.sep, "/")
            if f.endswith(EXTENSIONS) and not f.startswith(".") and rel not in GENERATED:
                files.append(rel)
    return files


def map_lines(text):
    """(line number, line) of the "Module map" section, heading excluded."""
    lines = text.split("\n")
    start = None
    for i in range(len(lines) - 1):
        if lines[i].strip() == "Module map" and UNDERLINE.match(lines[i + 1]):
            start = i + 2
            break
    if start is None:
        return None
    out = []
    for i in range(start, len(lines)):
        if i + 1 < len(lines) and lines[i].strip() and UNDERLINE.match(lines[i + 1]) \
                and not lines[i].startswith(" "):
            break  # the next section
        out.append((i + 1, lines[i]))
    return out


def check(root):
    """The problems of the map at root, as printable lines."""
    doc = os.path.join(root, DOC)
    try:
        with open(doc, encoding="utf-8") as f:
            section = map_lines(f.read())
    except OSError as e:
        return ["%s: %s" % (DOC, e.strerror)]
    if section is None:
        return ["%s: no \"Module map\" section" % DOC]
    rank = layering().rank
    problems, listed, group, group_line, last_rank = [], {}, None, 0, -1
    for k, (n, line) in enumerate(section):
        where = "%s:%d" % (DOC, n)
        nxt = section[k + 1][1] if k + 1 < len(section) else ""
        # A heading is a definition list's term: its definition follows, indented.
        h = HEADING.match(line)
        if h and nxt.startswith("  ") and nxt.strip():
            group, group_line = h.group(1), n
            if group.endswith("/"):
                r = rank(group[:-1])
                if r < last_rank:
                    problems.append("%s: ``%s`` is below the layer before it: the map goes "
                                    "from the bottom layer up" % (where, group))
                last_rank = max(last_rank, r)
            elif group != CRATE_ROOT_FILE:
                problems.append("%s: heading ``%s`` is neither a folder (``name/``) nor ``%s``"
                                % (where, group, CRATE_ROOT_FILE))
            continue
        e = ENTRY.match(line)
        if not e:
            if line.startswith("  - ``"):
                problems.append("%s: write a file's line as '  - ``path``: its concern'" % where)
            continue
        path, concern = e.group(1), e.group(2).strip()
        if group is None:
            problems.append("%s: ``%s`` is under no folder heading" % (where, path))
        elif path == CRATE_ROOT_FILE:
            if group != CRATE_ROOT_FILE:
                problems.append("%s: ``%s`` belongs under its own heading, not ``%s`` (line %d)"
                                % (where, path, group, group_line))
        elif not path.startswith(group):
            problems.append("%s: ``%s`` is listed under ``%s`` (line %d), not its folder's heading"
                            % (where, path, group, group_line))
        if not concern:
            problems.append("%s: ``%s`` has no concern" % (where, path))
        if nxt.startswith("    ") and nxt.strip():
            problems.append("%s: ``%s``'s concern runs on to the next line: one line each"
                            % (where, path))
        if path in listed:
            problems.append("%s: ``%s`` is listed twice (also line %d)" % (where, path, listed[path]))
        else:
            listed[path] = n
        full = path if path == CRATE_ROOT_FILE else "%s/%s" % (SRC, path)
        if not os.path.isfile(os.path.join(root, full)):
            problems.append("%s: ``%s`` is listed but %s does not exist" % (where, path, full))
    for path in source_files(root):
        if path not in listed:
            full = path if path == CRATE_ROOT_FILE else "%s/%s" % (SRC, path)
            folder = path.split("/")[0] + "/" if "/" in path else path
            problems.append("%s: not in %s's module map: add '  - ``%s``: <its concern>' "
                            "under ``%s``" % (full, DOC, path, folder))
    if not listed and not problems:
        problems.append("%s: the module map lists no file" % DOC)
    return problems


# ---------------------------------------------------------------- self-test

GOOD_DOC = """Design
======

Module map
----------

``virtio_crypto.rs`` (the crate root)
  - ``virtio_crypto.rs``: the root.

``util/``
  Containers.

  - ``util/mod.rs``: declares them.

``kernel_api/``
  - ``kernel_api/mod.rs``: the layer.
  - ``kernel_api/helpers.c``: C wrappers.

``ahash/`` (a service)
  - ``ahash/mod.rs``: hashes.

A paragraph may start with a literal:
``kernel_api/mod.rs`` is no heading here, nor a listed file.

Probe
=====

  - ``gone.rs``: outside the map, not checked.
"""

GOOD_FILES = ["virtio_crypto.rs", "virtio_crypto/util/mod.rs", "virtio_crypto/kernel_api/mod.rs",
              "virtio_crypto/kernel_api/helpers.c", "virtio_crypto/ahash/mod.rs",
              "virtio_crypto/kernel_api/bindings_generated.rs",
              "virtio_crypto/kernel_api/.helpers.o.cmd", "virtio_crypto/kernel_api/helpers.o"]

UTIL = """``util/``
  Containers.

  - ``util/mod.rs``: declares them.

"""

# name: (change to the good tree, substrings each expected problem line holds)
CASES = {
    "clean": (lambda d: None, []),
    "unlisted file": (lambda d: touch(d, "virtio_crypto/kernel_api/crypto/adapter.rs"),
                      ["virtio_crypto/kernel_api/crypto/adapter.rs: not in"]),
    "listed file missing": (lambda d: os.remove(os.path.join(d, "virtio_crypto/util/mod.rs")),
                            ["``util/mod.rs`` is listed but"]),
    "wrong heading": (lambda d: edit(d, "  - ``kernel_api/helpers.c``: C wrappers.\n", "")
                      or edit(d, "  - ``ahash/mod.rs``: hashes.\n",
                              "  - ``ahash/mod.rs``: hashes.\n  - ``kernel_api/helpers.c``: C.\n"),
                      ["``kernel_api/helpers.c`` is listed under ``ahash/``"]),
    "two lines": (lambda d: edit(d, "  - ``util/mod.rs``: declares them.\n",
                                 "  - ``util/mod.rs``: declares\n    them.\n"),
                  ["``util/mod.rs``'s concern runs on"]),
    "layers out of order": (lambda d: edit(d, UTIL, "")
                            or edit(d, "``ahash/`` (a service)", UTIL + "``ahash/`` (a service)"),
                            ["``util/`` is below the layer before it"]),
    "no map": (lambda d: edit(d, "Module map\n----------", "Modules\n-------"),
               ["no \"Module map\" section"]),
}


def touch(tree, rel, text=""):
    path = os.path.join(tree, rel)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def edit(tree, old, new):
    path = os.path.join(tree, DOC)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert old in text, old
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new))


def self_test():
    bad = 0
    for name, (change, expected) in CASES.items():
        tree = tempfile.mkdtemp(prefix="vcrs-module-map-")
        try:
            touch(tree, DOC, GOOD_DOC)
            for rel in GOOD_FILES:
                touch(tree, rel)
            change(tree)
            got = check(tree)
        finally:
            shutil.rmtree(tree)
        ok = len(got) == len(expected) and all(any(e in g for g in got) for e in expected)
        print("module map self-test %s: %s" % (name, "%d problems, as expected" % len(got)
                                              if ok else "FAILED"))
        if not ok:
            bad += 1
            for e in expected:
                print("  expected: ..." + e + "...")
            for g in got:
                print("  got:      " + g)
    return bad


def main(argv):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if argv[1:] == ["--self-test"]:
        return 1 if self_test() else 0
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(__doc__.strip())
        return 0 if argv[1:] in (["-h"], ["--help"]) else 2
    root = argv[1] if len(argv) == 2 else repo
    problems = check(root)
    for p in problems:
        print(p)
    print("module map: %d source files, %d problems" % (len(source_files(root)), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
