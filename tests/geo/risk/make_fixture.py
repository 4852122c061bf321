#!/usr/bin/python3
"""Writes poisson_l2_fixture.csv: a small Poisson design (seeded), its counts, and the
coefficients of scikit-learn's PoissonRegressor (L2) for a few alphas.

Run once from this folder:  /usr/bin/python3 make_fixture.py   (scikit-learn 1.2.1 was used).
Columns of the data rows: "row", x0..x3, y. Then one "coef" row per alpha:
"coef", alpha, intercept, w0..w3. The C++ unit test (poisson_test.cpp) fits the same data with
lambda = alpha, alpha-mixing 0, no standardisation, and compares within 1e-4.
"""
import csv
import os

import numpy as np
import sklearn
from sklearn.linear_model import PoissonRegressor

rng = np.random.default_rng(20261205)
n, p = 120, 4
x = np.column_stack([
    rng.normal(0.0, 1.0, n),
    rng.uniform(0.0, 2.0, n),
    (rng.uniform(size=n) < 0.3).astype(float),  # a binary factor, as RTM proximity
    rng.normal(5.0, 2.0, n),
])
eta = -0.5 + 0.4 * x[:, 0] - 0.3 * x[:, 1] + 0.8 * x[:, 2] + 0.05 * x[:, 3]
y = rng.poisson(np.exp(eta)).astype(float)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "poisson_l2_fixture.csv")
with open(out, "w") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["# scikit-learn " + sklearn.__version__ + " PoissonRegressor by make_fixture.py"])
    for i in range(n):
        w.writerow(["row"] + [repr(float(v)) for v in x[i]] + [repr(float(y[i]))])
    for alpha in (0.01, 0.1, 1.0):
        m = PoissonRegressor(alpha=alpha, solver="newton-cholesky", tol=1e-12, max_iter=10000)
        m.fit(x, y)
        w.writerow(["coef", repr(alpha), repr(float(m.intercept_))] +
                   [repr(float(c)) for c in m.coef_])
print("wrote", out)
