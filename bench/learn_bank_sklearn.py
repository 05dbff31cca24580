#!/usr/bin/python3
"""Bank marketing: leadscore's held-out AUC against scikit-learn's on the same design (bench/LEARN.md).

    /usr/bin/python3 bench/learn_bank_sklearn.py LEADSCORE_BINARY bank-full.csv

Runs `leadscore learn --outcome y` (C by 5-fold CV), reads the design it trained on
(--dump-design), fits LogisticRegression at the same C and at C=1 on the train rows and prints
the held-out AUCs next to leadscore's (model, exact points, rounded points).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

cli, csv = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as tmp:
    design = os.path.join(tmp, "design.csv")
    rep = json.loads(subprocess.check_output([cli, "learn", "--leads", csv, "--outcome", "y", "--json",
                                              "--dump-design", design]))
    with open(design) as f:
        rows = [line.rstrip("\n").split(",") for line in f][1:]
split = np.array([r[0] for r in rows])
y = np.array([int(r[1]) for r in rows])
x = np.array([[int(v) for v in r[5:]] for r in rows], dtype=float)
train, test = split == "train", split == "test"
for label, c in (("same C", rep["c"]), ("C=1", 1.0)):
    m = LogisticRegression(C=c, solver="newton-cg", tol=1e-10, max_iter=10000).fit(x[train], y[train])
    print(f"sklearn {label} (C={c}): held-out AUC {roc_auc_score(y[test], m.predict_proba(x[test])[:, 1]):.6f}")
auc = rep["auc"]
print(f"leadscore C={rep['c']}: held-out AUC model {auc['model']:.6f}, exact points {auc['points']:.6f}, "
      f"rounded {auc['rounded']:.6f}")
print("flagged:", [(f["name"], f["flag"]) for f in rep["flagged"]], "design columns:", len(rep["designColumns"]))
