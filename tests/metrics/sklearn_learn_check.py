#!/usr/bin/python3
"""Differential test: `leadscore learn` against scikit-learn and a plain naive Bayes in Python.

Run by ctest (learn_sklearn) with Debian's /usr/bin/python3 (python3-sklearn 1.2):
    sklearn_learn_check.py LEADSCORE_BINARY REPO_DIR DATA_DIR (tests/data)

The CLI writes the design matrix it trained on (`--dump-design`: split, y, its probability, its
exact and rounded points, one 0/1 column per feature level) and its report (`--json`). On that
same matrix:
  - LogisticRegression(C, newton-cg, unpenalised intercept): coefficients and intercept within
    1e-4, probabilities of every lead within 1e-6, held-out AUC = roc_auc_score within 1e-9 on
    the same scores (model, exact points, rounded points);
  - naive Bayes: Laplace-smoothed log ratios of counts computed here, within 1e-9;
  - bank-full.csv (outcome y): `duration` flagged as leakage and left out; held-out AUC of the
    scorecard within 0.01 of sklearn's LogisticRegression on the same features (same C and the
    default C=1), rounded points within 0.01 of the exact ones.
"""
import csv
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

# newton-cg at tol 1e-10 warns that its line search cannot improve further: that is the point.
warnings.filterwarnings("ignore")
LS, REPO, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
TMP = tempfile.mkdtemp(prefix="leadscore-learn-")
failures = []
checks = 0


def check(name, ok, detail=""):
    global checks
    checks += 1
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}")


def learn(leads, *args):
    design = os.path.join(TMP, "design.csv")
    r = subprocess.run([LS, "learn", "--leads", leads, "--json", "--dump-design", design, *args],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"leadscore learn failed ({r.returncode}): {r.stderr}")
    rep = json.loads(r.stdout)
    with open(design) as f:
        rows = list(csv.reader(f))
    head, body = rows[0], rows[1:]
    split = np.array([row[0] for row in body])
    y = np.array([int(row[1]) for row in body])
    num = np.array([[float(v) for v in row[2:5]] for row in body])
    x = np.array([[int(v) for v in row[5:]] for row in body], dtype=float)
    assert head[5:] == [f"x{j}" for j in range(x.shape[1])]
    return rep, split, y, num[:, 0], num[:, 1], num[:, 2], x


def our_weights(rep, columns):
    w = np.zeros(columns)
    for f in rep["features"]:
        for lv in f["levels"]:
            if lv["design"] >= 0:
                w[lv["design"]] = lv["weight"]
    return w


def synthetic(path, n=3000, seed=11):
    rnd = random.Random(seed)
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["source", "visits", "size", "newsletter", "y"])
        for _ in range(n):
            src = rnd.choice(["web", "event", "partner", "ads"])
            visits = rnd.randint(0, 30)
            size = rnd.choice([1, 10, 50, 200, 1000, 5000])
            news = rnd.choice(["yes", "no", ""])
            logit = -2 + {"web": 0, "event": 1, "partner": 0.5, "ads": -0.4}[src] + 0.06 * visits
            logit += 0.3 * math.log10(size) + (0.5 if news == "yes" else 0)
            y = rnd.random() < 1 / (1 + math.exp(-logit))
            out.writerow([src, visits if rnd.random() > 0.05 else "", size, news, "yes" if y else "no"])


def check_logistic(name, rep, split, y, p, points, rounded, x, coef_tol=1e-4):
    c = rep["c"]
    train, test = split == "train", split == "test"
    sk = LogisticRegression(C=c, solver="newton-cg", tol=1e-10, max_iter=10000)
    sk.fit(x[train], y[train])
    ours = our_weights(rep, x.shape[1])
    diff = np.max(np.abs(sk.coef_[0] - ours))
    check(f"{name}: coefficients within {coef_tol}", diff <= coef_tol, f"max diff {diff}")
    check(f"{name}: intercept within {coef_tol}", abs(sk.intercept_[0] - rep["intercept"]) <= coef_tol,
          f"{sk.intercept_[0]} vs {rep['intercept']}")
    pd = np.max(np.abs(sk.predict_proba(x)[:, 1] - p))
    check(f"{name}: probabilities within 1e-6", pd <= 1e-6, f"max diff {pd}")
    for key, score in (("model", p), ("points", points), ("rounded", rounded)):
        want = roc_auc_score(y[test], score[test])
        check(f"{name}: held-out AUC ({key}) = roc_auc_score within 1e-9", abs(want - rep["auc"][key]) <= 1e-9,
              f"{rep['auc'][key]} vs {want}")
    return sk


def check_naive_bayes(name, rep, split, y, p, x):
    train = split == "train"
    n1, n0 = float(np.sum(y[train] == 1)), float(np.sum(y[train] == 0))
    intercept = math.log(n1 / n0)
    weights = np.zeros(x.shape[1])
    for f in rep["features"]:
        if not f["used"]:
            continue
        cols = [lv["design"] for lv in f["levels"]]
        values = len(cols) + (1 if f["hasBaseline"] else 0)

        def ratio(c1, c0):
            return math.log((c1 + 1) / (n1 + values)) - math.log((c0 + 1) / (n0 + values))

        base = 0.0
        if f["hasBaseline"]:
            none = np.sum(x[:, cols], axis=1) == 0
            base = ratio(np.sum(none & train & (y == 1)), np.sum(none & train & (y == 0)))
        intercept += base
        for j in cols:
            on = x[:, j] == 1
            weights[j] = ratio(np.sum(on & train & (y == 1)), np.sum(on & train & (y == 0))) - base
    ours = our_weights(rep, x.shape[1])
    check(f"{name}: naive Bayes weights within 1e-9", np.max(np.abs(ours - weights)) <= 1e-9,
          f"max diff {np.max(np.abs(ours - weights))}")
    check(f"{name}: naive Bayes intercept within 1e-9", abs(intercept - rep["intercept"]) <= 1e-9)
    prob = 1 / (1 + np.exp(-(intercept + x @ weights)))
    check(f"{name}: naive Bayes probabilities within 1e-9", np.max(np.abs(prob - p)) <= 1e-9)


def main():
    small = os.path.join(TMP, "synthetic.csv")
    synthetic(small)
    few = ["--min-leads", "1000", "--min-positives", "100"]
    for c in ("0.05", "1", "20"):
        rep, split, y, p, pts, rnd, x = learn(small, "--outcome", "y", "--c", c, *few)
        check_logistic(f"synthetic C={c}", rep, split, y, p, pts, rnd, x)
    rep, split, y, p, pts, rnd, x = learn(small, "--outcome", "y", "--scale", "0-100", *few)
    check_logistic("synthetic, C by CV, 0-100", rep, split, y, p, pts, rnd, x)
    check("0-100: rounded range is 0..100", rep["range"]["roundedMin"] == 0 and rep["range"]["roundedMax"] == 100)
    rep, split, y, p, pts, rnd, x = learn(small, "--outcome", "y", "--model", "naive-bayes", *few)
    check_naive_bayes("synthetic", rep, split, y, p, x)

    bank = os.path.join(DATA, "bank-marketing", "bank-full.csv")
    rep, split, y, p, pts, rnd, x = learn(bank, "--outcome", "y")
    flagged = {f["name"]: f for f in rep["flagged"]}
    check("bank: duration flagged as leakage", flagged.get("duration", {}).get("flag") == "leakage", str(flagged))
    check("bank: duration left out", flagged.get("duration", {}).get("used") is False)
    check("bank: the reason says why", "after the outcome" in flagged.get("duration", {}).get("reason", ""))
    check("bank: leakage excluded from the design", all(d["feature"] != "duration" for d in rep["designColumns"]))
    sk = check_logistic("bank", rep, split, y, p, pts, rnd, x)
    test = split == "test"
    train = split == "train"
    for label, model in (("same C", sk), ("C=1", LogisticRegression(C=1.0, max_iter=5000).fit(x[train], y[train]))):
        want = roc_auc_score(y[test], model.predict_proba(x[test])[:, 1])
        check(f"bank: scorecard AUC within 0.01 of sklearn ({label})", abs(rep["auc"]["points"] - want) <= 0.01,
              f"{rep['auc']['points']} vs {want}")
    check("bank: rounded within 0.01 of exact", abs(rep["auc"]["rounded"] - rep["auc"]["points"]) <= 0.01,
          f"{rep['auc']['rounded']} vs {rep['auc']['points']}")
    print(f"bank: held-out AUC {rep['auc']['model']:.4f}, rounded {rep['auc']['rounded']:.4f}, C={rep['c']}")

    print(f"{checks - len(failures)}/{checks} learn checks against scikit-learn passed")
    sys.exit(1 if failures else 0)


main()
