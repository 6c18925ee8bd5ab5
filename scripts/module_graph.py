#!/usr/bin/env python3
"""Checks laurel's module structure: no cycle between top-level modules of
src/ (each `crate::x` use is an edge), and no source file over a size limit.

    scripts/module_graph.py            # exit 1 on a cycle or an oversized file
    scripts/module_graph.py --dot      # the graph, for graphviz

Only the standard library; run by .ci/run.
"""
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
MAX_LINES = 620
# The binary's own modules sit above the library; they are not part of it.
BINARY = {"main", "cmd"}


def top_module(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0].removesuffix(".rs")


def edges():
    graph = {}
    for f in SRC.rglob("*.rs"):
        m = top_module(f)
        if m in BINARY or m == "lib":
            continue
        text = f.read_text(encoding="utf-8")
        # Tests may reach anywhere; only the code's own uses count.
        text = text.split("#[cfg(test)]\nmod tests", 1)[0]
        # Doc links are not dependencies.
        text = re.sub(r"//[^\n]*", "", text)
        deps = graph.setdefault(m, set())
        for d in re.findall(r"crate::([a-z_]+)", text):
            if d != m:
                deps.add(d)
    return graph


def find_cycle(graph):
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                c = visit(d)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n)
            if c:
                return c
    return None


def main():
    graph = edges()
    if "--dot" in sys.argv:
        print("digraph laurel {")
        for m, deps in sorted(graph.items()):
            for d in sorted(deps):
                print(f"  {m} -> {d};")
        print("}")
        return 0
    ok = True
    cycle = find_cycle(graph)
    if cycle:
        print("module cycle: " + " -> ".join(cycle))
        ok = False
    for f in sorted(SRC.rglob("*.rs")):
        n = sum(1 for _ in f.open(encoding="utf-8"))
        if n > MAX_LINES:
            print(f"{f.relative_to(SRC.parent)}: {n} lines (limit {MAX_LINES})")
            ok = False
    if ok:
        print(f"module graph: {len(graph)} top-level modules, no cycle; every file <= {MAX_LINES} lines")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
