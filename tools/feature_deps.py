#!/usr/bin/env python3
"""Prints which app modules import which (feature/module -> feature/module),
and every cycle between two modules of different features. Used to keep
features depending one way (pages -> services -> db)."""
import os, re, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "app", "src")

def expand(prefix, tree):
    """Expands a use tree like `a::{b, c::{d}}` into full paths."""
    out, depth, cur = [], 0, ""
    items = []
    for ch in tree:
        if ch == "{": depth += 1
        if ch == "}": depth -= 1
        if ch == "," and depth == 0:
            items.append(cur); cur = ""
        else:
            cur += ch
    items.append(cur)
    for it in items:
        it = it.strip()
        if not it: continue
        m = re.match(r"^([\w:]*?)::\{(.*)\}$", it, re.S)
        if m:
            out += expand(prefix + [p for p in m.group(1).split("::") if p], m.group(2))
        elif it.startswith("{") and it.endswith("}"):
            out += expand(prefix, it[1:-1])
        else:
            out.append(prefix + [p for p in it.split(" as ")[0].split("::") if p])
    return out

def module_of(path):
    rel = os.path.relpath(path, ROOT)[:-3]
    parts = rel.split(os.sep)
    if parts[-1] == "mod": parts = parts[:-1]
    return parts

edges = set()
for dirpath, _, files in os.walk(ROOT):
    for f in files:
        if not f.endswith(".rs"): continue
        path = os.path.join(dirpath, f)
        me = module_of(path)
        src = open(path).read()
        src = re.sub(r"//[^\n]*", "", src)
        paths = []
        for m in re.finditer(r"\buse\s+(crate|super)::([^;]*);", src, re.S):
            base = ["crate"] if m.group(1) == "crate" else ["super"]
            paths += [base + p for p in expand([], m.group(2))]
        for m in re.finditer(r"\b(crate|super)::((?:\w+::)*\w+)", src):
            paths.append([m.group(1)] + m.group(2).split("::"))
        for p in paths:
            if p[0] == "super":
                target = me[:-1] + p[1:]
            else:
                target = p[1:]
            if len(target) < 1: continue
            a = "/".join(me[:2]); b = "/".join(target[:2])
            if me[0] != target[0] or (len(me) > 1 and len(target) > 1 and me[1] != target[1]):
                edges.add((a, b))

mods = {}
for a, b in edges:
    mods.setdefault(a, set()).add(b)
def reaches(a, b, seen=None):
    seen = seen or set()
    for n in mods.get(a, ()):
        if n == b: return True
        if n not in seen:
            seen.add(n)
            if reaches(n, b, seen): return True
    return False
cycles = sorted({tuple(sorted((a, b))) for a, b in edges if a.split("/")[0] != b.split("/")[0] and reaches(b, a)})
within = sorted({tuple(sorted((a, b))) for a, b in edges if (b, a) in edges and a != b})
if "-v" in sys.argv:
    for a, b in sorted(edges): print(f"{a} -> {b}")
print("mutual imports:", *[f"{a} <-> {b}" for a, b in within], sep="\n  ")
print("cross-feature cycles:", *[f"{a} ~ {b}" for a, b in cycles], sep="\n  ")
sys.exit(1 if within or cycles else 0)
