#!/usr/bin/env python3
"""Fails on a circle of #include "..." among the C++ headers (core/, include/, cli/, wasm/, tests/).

A header that reaches itself through its includes only compiles by the accident of include
guards and leaves no layer to understand first. Quoted includes resolve against include/, core/
and the including file's folder, as the build does. Exit status 1 and the circle when one exists.
"""
import os
import re
import subprocess
import sys

ROOTS = ("include", "core")


def resolve(name, including):
    for base in ROOTS + (os.path.dirname(including),):
        path = os.path.normpath(os.path.join(base, name))
        if os.path.exists(path):
            return path
    return None


def main():
    headers = subprocess.check_output(["git", "ls-files", "*.h"], text=True).split()
    graph = {}
    for h in headers:
        with open(h, encoding="utf-8") as f:
            graph[h] = [r for r in (resolve(m, h) for m in re.findall(r'#include "([^"]+)"', f.read())) if r]
    state, stack = {}, []

    def visit(h):
        state[h] = "open"
        stack.append(h)
        for d in graph.get(h, ()):
            if state.get(d) == "open":
                print("include circle: " + " -> ".join(stack[stack.index(d):] + [d]), file=sys.stderr)
                sys.exit(1)
            if d not in state:
                visit(d)
        stack.pop()
        state[h] = "done"

    for h in headers:
        if h not in state:
            visit(h)
    print(f"include-cycles: {len(headers)} headers, no circle")


if __name__ == "__main__":
    main()
