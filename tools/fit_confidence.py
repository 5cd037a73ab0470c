#!/usr/bin/env python3
"""Fits the answer-confidence model (src/Knowledge/Answering/ConfidenceModel.cs) on candidate features.

Input: the TSV written by `Bot.dll eval --features OUT.tsv data/eval` (one row per weighed candidate).
Fits an L2-regularised logistic model "the best candidate is the expected answer" (the answer-or-abstain
decision; questions that should abstain count as negatives), first on each eval file
while checking on the others (held-out figures), then on all of them (the weights to ship).
Plain Python, no dependencies.
"""
import math
import sys
from collections import defaultdict

L2 = 0.1
THRESHOLDS = [t / 100 for t in range(20, 91, 5)]


def read(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        names = header[6:]
        questions = defaultdict(list)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            key = (cols[0], int(cols[1]), cols[2])
            questions[key].append((cols[4], int(cols[5]), [float(x) for x in cols[6:]]))
    return names, questions


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def sigmoid(z):
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def fit(rows):
    """Newton's method on the penalised log-likelihood; the bias (last weight) is not penalised."""
    n = len(rows[0][0]) + 1
    w = [0.0] * n
    for _ in range(50):
        grad = [0.0] * n
        hess = [[0.0] * n for _ in range(n)]
        for x, y in rows:
            xb = x + [1.0]
            p = sigmoid(sum(wi * xi for wi, xi in zip(w, xb)))
            for i in range(n):
                grad[i] += (p - y) * xb[i]
                for j in range(n):
                    hess[i][j] += p * (1 - p) * xb[i] * xb[j]
        for i in range(n - 1):
            grad[i] += L2 * w[i]
            hess[i][i] += L2
        step = solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def rows_of(questions):
    return [(cands[0][2], cands[0][1]) for cands in questions.values()]


def evaluate(w, questions, threshold):
    answerable = abstain = top1 = wrong = abstained_rightly = 0
    for (_, _, expected), cands in questions.items():
        _, label, x = cands[0]
        p = sigmoid(sum(wi * xi for wi, xi in zip(w, x + [1.0])))
        answered = p >= threshold
        if expected == "-":
            abstain += 1
            if answered: wrong += 1
            else: abstained_rightly += 1
        else:
            answerable += 1
            if answered and label: top1 += 1
            elif answered: wrong += 1
    return top1 / answerable, wrong / len(questions), abstained_rightly / max(1, abstain)


def report(title, w, questions):
    print(f"  {title}")
    print("    threshold  top-1  conf.wrong  abst.recall")
    for t in THRESHOLDS:
        a, b, c = evaluate(w, questions, t)
        print(f"    {t:9.2f}  {a:5.3f}  {b:10.3f}  {c:11.3f}")


def main(path):
    names, questions = read(path)
    files = sorted({k[0] for k in questions})
    for held_out in files:
        train = {k: v for k, v in questions.items() if k[0] != held_out}
        test = {k: v for k, v in questions.items() if k[0] == held_out}
        w = fit(rows_of(train))
        print(f"fit without {held_out}:")
        report(f"held out {held_out} ({len(test)} questions)", w, test)
    w = fit(rows_of(questions))
    print(f"fit on all ({len(questions)} questions):")
    report("all (in-sample)", w, questions)
    print("weights:", ", ".join(f"{n} {v:.3f}" for n, v in zip(names, w)), f"bias {w[-1]:.3f}")
    print("C#:", ", ".join(f"{v:.3f}f" for v in w[:-1]), f"bias {w[-1]:.3f}f")


if __name__ == "__main__":
    main(sys.argv[1])
