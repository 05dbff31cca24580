#!/usr/bin/python3
"""Differential test: `leadscore evaluate --format json` against scikit-learn and numpy.

Run by ctest (metrics_sklearn) with Debian's /usr/bin/python3 (python3-sklearn 1.2):
    sklearn_check.py LEADSCORE_BINARY REPO_DIR DATA_DIR (tests/data)

Scores come from `leadscore score --format json` (per lead); outcomes are read from the input
files here, independently of the core. Checked, to 1e-12 where floating point is involved:
  - AUC = sklearn.metrics.roc_auc_score, ROC points = roc_curve (drop_intermediate, ties as
    diagonals; thresholds equal exactly), precision/recall at sales-ready = precision_score /
    recall_score, tier and decile rates and capacity selections recomputed with numpy;
  - on bank-full.csv (45,211 leads, outcome y) with samples/bank-rules.json, on generated data
    with many ties and mixed outcome spellings, on the Olist funnel joined by id, and the
    all-positive / all-negative / no-outcome cases (null + reason where sklearn is undefined).
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import precision_score, recall_score, roc_auc_score, roc_curve

LS, REPO, DATA = sys.argv[1], sys.argv[2], sys.argv[3]
TMP = tempfile.mkdtemp(prefix="leadscore-sklearn-")
failures = []
checks = 0


def check(name, ok, detail=""):
    global checks
    checks += 1
    if not ok:
        failures.append(name)
        print(f"FAIL: {name} {detail}")


def close(a, b, tol=1e-12):
    return a is not None and b is not None and abs(a - b) <= tol


def run(*args):
    r = subprocess.run([LS, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"leadscore {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r.stdout


def scores(rules, leads):
    out = os.path.join(TMP, "scored.json")
    run("score", "--rules", rules, "--leads", leads, "--format", "json", "--no-reasons", "--out", out)
    rows = json.load(open(out))
    return np.array([r["_score"]["total"] for r in rows], dtype=float), [r["_score"]["tier"] for r in rows]


def evaluate(rules, leads, *extra):
    return json.loads(run("evaluate", "--rules", rules, "--leads", leads, "--format", "json", *extra))


def no_nan(j):
    if isinstance(j, float):
        return math.isfinite(j)
    if isinstance(j, list):
        return all(no_nan(x) for x in j)
    if isinstance(j, dict):
        return all(no_nan(x) for x in j.values())
    return True


def compare_report(name, rep, s, y, tiers, tier_names, threshold, capacity=None):
    """y: 1 / 0 / -1 (unknown) per lead, computed here from the input."""
    known = y >= 0
    ks, ky = s[known], y[known]
    check(f"{name}: no NaN in the report", no_nan(rep))
    check(f"{name}: known/positives", rep["known"] == int(known.sum()) and rep["positives"] == int((y == 1).sum()),
          f"{rep['known']} {rep['positives']} vs {known.sum()} {(y == 1).sum()}")
    both = 0 < ky.sum() < len(ky)
    if both:
        auc = roc_auc_score(ky, ks)
        check(f"{name}: AUC = roc_auc_score", close(rep["roc"]["auc"], auc), f"{rep['roc']['auc']} vs {auc}")
        fpr, tpr, thr = roc_curve(ky, ks)
        pts = rep["roc"]["points"]
        check(f"{name}: ROC point count = roc_curve", len(pts) == len(fpr), f"{len(pts)} vs {len(fpr)}")
        if len(pts) == len(fpr):
            check(f"{name}: ROC fpr", all(close(p["fpr"], f) for p, f in zip(pts, fpr)))
            check(f"{name}: ROC tpr", all(close(p["tpr"], t) for p, t in zip(pts, tpr)))
            check(f"{name}: ROC thresholds", pts[0]["threshold"] is None and all(p["threshold"] == t for p, t in zip(pts[1:], thr[1:])))
    else:
        check(f"{name}: AUC null with a reason", rep["roc"]["auc"] is None and len(rep["roc"].get("reason", "")) > 0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                roc_auc_score(ky, ks)
            check(f"{name}: sklearn also finds AUC undefined", False)
        except ValueError:
            check(f"{name}: sklearn also finds AUC undefined", True)

    # precision / recall at the sales-ready threshold
    pred = (ks >= threshold).astype(int)
    sr = rep["salesReady"]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        prec = precision_score(ky, pred) if len(ky) else None
        prec_undefined = any(issubclass(x.category, UndefinedMetricWarning) for x in w)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        rec = recall_score(ky, pred) if len(ky) else None
        rec_undefined = any(issubclass(x.category, UndefinedMetricWarning) for x in w)
    if len(ky) and not prec_undefined:
        check(f"{name}: precision = precision_score", close(sr["precision"], prec), f"{sr['precision']} vs {prec}")
    else:
        check(f"{name}: precision null where sklearn is undefined", sr["precision"] is None and "reason" in sr)
    if len(ky) and not rec_undefined:
        check(f"{name}: recall = recall_score", close(sr["recall"], rec), f"{sr['recall']} vs {rec}")
        check(f"{name}: share of conversions = recall", close(sr["shareOfConversions"], rec))
    else:
        check(f"{name}: recall null where sklearn is undefined", sr["recall"] is None and "reason" in sr)
    check(f"{name}: selected", sr["selected"] == int((s >= threshold).sum()))

    # tiers (all leads counted; rates over known)
    for k, t in enumerate(tier_names):
        m = np.array([x == t for x in tiers])
        r = rep["tiers"][k]
        kk = m & known
        rate = (y[kk] == 1).mean() if kk.any() else None
        check(f"{name}: tier {t}", r["tier"] == t and r["count"] == int(m.sum()) and r["known"] == int(kk.sum())
              and (rate is None and r["rate"] is None or close(r["rate"], rate)), f"{r} vs {m.sum()} {kk.sum()} {rate}")

    # deciles: known leads by score descending, ties in lead order, boundaries floor(k n / 10)
    idx = np.flatnonzero(known)
    order = idx[np.lexsort((idx, -s[idx]))]
    n = len(order)
    D = min(10, n)
    base = (y[order] == 1).mean() if n else None
    check(f"{name}: decile count", len(rep["deciles"]) == D)
    for d in range(D):
        a, b = d * n // D, (d + 1) * n // D
        part = order[a:b]
        pos = int((y[part] == 1).sum())
        r = rep["deciles"][d]
        lift = (pos / len(part)) / base if base else None
        check(f"{name}: decile {d + 1}", r["count"] == len(part) and r["positives"] == pos and r["maxScore"] == s[part[0]]
              and r["minScore"] == s[part[-1]] and (lift is None and r["lift"] is None or close(r["lift"], lift)), f"{r}")

    if capacity is not None:
        c = rep["capacity"]
        k = c["capacity"]
        cands = [t for t in np.unique(s) if (s >= t).sum() <= k]
        t = min(cands) if cands else None
        check(f"{name}: capacity threshold", (t is None and c["threshold"] is None) or c["threshold"] == t, f"{c['threshold']} vs {t}")
        if t is not None:
            sel = (s >= t) & known
            conv = int((y[sel] == 1).sum())
            check(f"{name}: capacity conversions", c["selected"] == int((s >= t).sum()) and c["conversions"] == conv)
            if sel.any():
                check(f"{name}: capacity precision", close(c["precision"], conv / sel.sum()))


# ---- 1. bank-full.csv, samples/bank-rules.json, outcome y ------------------------------------
bank = os.path.join(DATA, "bank-marketing/bank-full.csv")
bank_rules = os.path.join(REPO, "samples/bank-rules.json")
y = np.array([1 if r["y"] == "yes" else 0 for r in csv.DictReader(open(bank), delimiter=";")])
s, tiers = scores(bank_rules, bank)
rep = evaluate(bank_rules, bank, "--outcome", "y", "--capacity", "10%")
check("bank: capacity is 10 % of 45,211", rep["capacity"]["capacity"] == 4521)
compare_report("bank", rep, s, y, tiers, ["Hot", "Warm", "Cold"], 50, capacity=True)
dur = [c for c in rep["columns"] if c["column"] == "duration"]
if dur:
    durations = np.array([float(r["duration"]) for r in csv.DictReader(open(bank), delimiter=";")])
    a = roc_auc_score(y, durations)
    check("bank: duration's column AUC = roc_auc_score", close(dur[0]["auc"], max(a, 1 - a)), f"{dur[0]['auc']} vs {a}")
else:
    check("bank: duration is among the columns", False)
check("bank: y itself is not a column signal", all(c["column"] != "y" for c in rep["columns"]))

# ---- 2. generated data with many ties and mixed spellings -------------------------------------
rng = np.random.default_rng(20240601)
N = 6000
spell = {1: ["yes", "Yes", "1", "true", "WON", "y"], 0: ["no", "NO", "0", "False", "lost", "n"]}
rows, gy = [], []
for i in range(N):
    a = int(rng.integers(0, 5))
    b = rng.random() < 0.4
    seg = ["smb", "mid", "ent"][int(rng.integers(0, 3))]
    p = 0.05 + 0.08 * a + (0.15 if b else 0) + (0.1 if seg == "ent" else 0)
    conv = int(rng.random() < p)
    r = rng.random()
    if r < 0.04:
        text, yy = "", -1          # missing
    elif r < 0.07:
        text, yy = "pending", -1   # not an outcome
    else:
        text, yy = spell[conv][int(rng.integers(0, 6))], conv
    rows.append([i + 1, a, "yes" if b else "no", seg, text])
    gy.append(yy)
gen = os.path.join(TMP, "ties.csv")
with open(gen, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "visits", "demo", "segment", "outcome"])
    w.writerows(rows)
gen_rules = os.path.join(TMP, "ties-rules.json")
json.dump({
    "fields": {"outcome": {"type": "string"}},
    "rules": [
        {"id": "visits", "points": 5, "per": "visits", "max": 15},
        {"id": "demo", "group": "engagement", "points": 10, "when": {"var": "demo"}},
        {"id": "ent", "points": 10, "when": {"==": [{"var": "segment"}, "ent"]}},
        {"id": "smb", "points": -5, "when": {"==": [{"var": "segment"}, "smb"]}},
    ],
    "tiers": [{"name": "A", "min": 25}, {"name": "B", "min": 10}, {"name": "C"}],
    "salesReady": 20,
}, open(gen_rules, "w"))
gy = np.array(gy)
s, tiers = scores(gen_rules, gen)
check("ties: scores are heavily tied", len(np.unique(s)) < 30)
rep = evaluate(gen_rules, gen, "--outcome", "outcome", "--capacity", "700")
check("ties: unknown = missing + pending", rep["unknown"] == int((gy < 0).sum()) and rep["outcomes"]["missing"] > 0
      and rep["outcomes"]["unknownValues"][0]["value"] == "pending")
compare_report("ties", rep, s, gy, tiers, ["A", "B", "C"], 20, capacity=True)

# ---- 3. all positive / all negative / nothing known ---------------------------------------------
for label, value in [("all-positive", "yes"), ("all-negative", "no"), ("no-outcomes", "maybe")]:
    path = os.path.join(TMP, f"{label}.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "visits", "demo", "segment", "outcome"])
        for r in rows[:500]:
            w.writerow(r[:4] + [value])
    yy = np.full(500, {"yes": 1, "no": 0}.get(value, -1))
    s, tiers = scores(gen_rules, path)
    rep = evaluate(gen_rules, path, "--outcome", "outcome")
    compare_report(label, rep, s, yy, tiers, ["A", "B", "C"], 20)
    check(f"{label}: a warning says why", any(x["code"] in ("one_class", "no_outcomes") for x in rep["warnings"]))

# ---- 4. Olist: leads + closed deals as two files --------------------------------------------------
od = os.path.join(DATA, "olist-like/")
mql = os.path.join(od, "olist_marketing_qualified_leads_dataset.csv")
deals = os.path.join(od, "olist_closed_deals_dataset.csv")
won = {r["mql_id"] for r in csv.DictReader(open(deals))}
ids = [r["mql_id"] for r in csv.DictReader(open(mql))]
oy = np.array([1 if i in won else 0 for i in ids])
olist_rules = os.path.join(REPO, "samples/olist-rules.json")
s, tiers = scores(olist_rules, mql)
rep = evaluate(olist_rules, mql, "--outcomes", deals, "--lead-id", "mql_id", "--outcome-id", "mql_id")
check("olist: unmatched deals", rep["outcomes"]["unmatched"] == len(won - set(ids)))
compare_report("olist", rep, s, oy, tiers, ["Hot", "Warm", "Cold"], 40)

# ---- 5. leakage on rules: the CRM-like export (tests/data/crm-like) -----------------------------
# numpy recomputes what the flags rest on: each rule's conversion when it fires, the median
# column AUC, and (scikit-learn) a number column's AUC; the flags must follow the documented rules.
crm = os.path.join(DATA, "crm-like/leads.csv")
crm_rows = list(csv.DictReader(open(crm)))
cy = np.array([int(r["Converted"]) for r in crm_rows])
crm_rules = os.path.join(TMP, "crm-rules.json")
REVERT = "Will revert after reading the email"
json.dump({"groups": [{"id": "fit"}], "tiers": [{"name": "Hot", "min": 30}, {"name": "Cold"}], "rules": [
    {"id": "new-rule-1", "label": "Working professional", "group": "fit", "points": 30,
     "when": {"==": [{"var": "What is your current occupation"}, "Working Professional"]}},
    {"id": "new-rule-2", "label": "Will revert", "group": "fit", "points": 40,
     "when": {"==": [{"var": "Tags"}, REVERT]}}]}, open(crm_rules, "w"))
rep = evaluate(crm_rules, crm, "--outcome", "Converted")
by_id = {r["id"]: r for r in rep["rules"]}
for rid, col, value in [("new-rule-1", "What is your current occupation", "Working Professional"),
                        ("new-rule-2", "Tags", REVERT)]:
    fired = np.array([r[col] == value for r in crm_rows])
    rate = cy[fired].mean()
    near = bool(rate >= 0.9 and fired.sum() >= 20 and rate >= cy.mean() + (1 - cy.mean()) / 2)
    kinds = {x["kind"] for x in by_id[rid]["leakage"]}
    check(f"crm: {rid} conversion when it fires", close(by_id[rid]["whenFired"]["rate"], rate), f"{rate}")
    check(f"crm: {rid} near_certain iff numpy says so", ("near_certain" in kinds) == near, f"{rate} {kinds}")
check("crm: the rule on Tags is flagged leak", "leak" in by_id["new-rule-2"]["flags"])
check("crm: the occupation rule is not", by_id["new-rule-1"]["flags"].count("leak") == 0)
aucs = [c["auc"] for c in rep["columns"]]
check("crm: median column AUC = numpy's", close(rep["columnsMedianAuc"], float(np.median(aucs))))
secs = np.array([float(r["Total Time Spent on Website"]) for r in crm_rows])
tt = [c for c in rep["columns"] if c["column"] == "Total Time Spent on Website"]
a = roc_auc_score(cy, secs)
check("crm: time on site AUC = roc_auc_score", tt and close(tt[0]["auc"], max(a, 1 - a)), f"{tt} vs {a}")
for c in rep["columns"]:
    far = (not c["leak"]) and c["auc"] >= 0.8 and c["auc"] - float(np.median(aucs)) >= 0.25
    check(f"crm: farAbove of {c['column']}", c["farAbove"] == far, f"{c}")
check("crm: Lead Quality and Tags look post-outcome",
      all(c["postOutcome"] for c in rep["columns"] if c["column"] in ("Tags", "Lead Quality")))
check("crm: warnings name rules by label", all("new-rule" not in w["message"] for w in rep["warnings"]))

print(f"{checks - len(failures)} of {checks} checks passed")
sys.exit(1 if failures else 0)
