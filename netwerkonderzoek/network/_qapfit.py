"""Batched least-squares and logit fits for QAP permutations (internal).

Each function fits many regressions that share all but one column (the
permuted residual of double semi-partialling) or all columns (y-permutation)
at once, with numpy, for :mod:`~netwerkonderzoek.network.qap`.
"""

from __future__ import annotations

__all__ = ["logit", "logit_start", "ols_all_t", "ols_last_t", "ols_t"]

# at most 25 IRLS steps, as glm.fit; a fit has converged when the deviance its
# next step would gain is below this share of the null deviance (glm.fit stops
# at a relative deviance change of 1e-8; this is stricter, so that the z values,
# whose information matrix is that of the last step, are exact to about 1e-8)
_MAX_ITER = 25
_DECREMENT_TOL = 1e-14


def ols_t(Z, y):
    """OLS estimates and t values of y on Z, via QR."""
    import numpy as np

    Q, R = np.linalg.qr(Z)
    Rinv = np.linalg.inv(R)
    beta = Rinv @ (Q.T @ y)
    rss = float(np.sum((y - Z @ beta) ** 2))
    se = np.sqrt(rss / (len(y) - Z.shape[1]) * np.sum(Rinv**2, axis=1))
    return beta, beta / se


def ols_last_t(A, W, y):
    """t value of the last coefficient of y ~ [A, w_r] for each row w_r of W.

    By Frisch–Waugh–Lovell: with :math:`M_A` the residual maker of ``A``,
    :math:`b = w' M_A y / w' M_A w` and the residual sum of squares is
    :math:`y' M_A y - (w' M_A y)^2 / w' M_A w`.
    """
    import numpy as np

    Q, _ = np.linalg.qr(A)
    y_res = y - Q @ (Q.T @ y)
    WQ = W @ Q
    wy = W @ y_res
    ww = np.einsum("rn,rn->r", W, W) - np.einsum("ra,ra->r", WQ, WQ)
    rss = float(y_res @ y_res) - wy**2 / ww
    df = len(y) - A.shape[1] - 1
    return wy / np.sqrt(ww * np.maximum(rss, 0.0) / df)


def ols_all_t(Z, Y):
    """t values of every coefficient of y_r ~ Z for each row y_r of Y."""
    import numpy as np

    Q, R = np.linalg.qr(Z)
    Rinv = np.linalg.inv(R)
    QtY = Y @ Q
    B = QtY @ Rinv.T
    rss = np.einsum("rn,rn->r", Y, Y) - np.einsum("rk,rk->r", QtY, QtY)
    scale = np.sqrt(np.maximum(rss, 0.0) / (Z.shape[0] - Z.shape[1]))
    return B / (scale[:, None] * np.sqrt(np.sum(Rinv**2, axis=1))[None, :])


def logit(A, w, Y, beta0, tol=_DECREMENT_TOL):
    """Logistic MLE of Y (one vector, or one per row) on [A, w_r], many fits at once.

    Newton–Raphson (IRLS for the canonical logit link), batched over the
    rows of ``w`` (a varying last column) or of ``Y`` (varying responses).
    A fit stops when its Newton decrement :math:`g' H^{-1} g` (the deviance
    the step is expected to gain) is below ``tol`` times the null deviance
    plus 0.1, or after 25 steps, as R's ``glm.fit`` stops on the relative
    change of the deviance; like ``glm.fit``, the standard errors come from
    the information of the last step. Returns the estimates, their z values
    and whether each fit converged.
    """
    import numpy as np

    N, a = A.shape
    fits = w.shape[0] if w is not None else (Y.shape[0] if Y.ndim == 2 else 1)
    k = a + (w is not None)
    beta = np.array(np.broadcast_to(beta0, (fits, k)), dtype=float)
    AA = (A[:, :, None] * A[:, None, :]).reshape(N, a * a)
    mean = float(np.mean(Y[0] if Y.ndim == 2 else Y))
    null_deviance = -2.0 * N * (mean * np.log(mean) + (1.0 - mean) * np.log1p(-mean))
    limit = tol * (null_deviance + 0.1)
    H = np.zeros((fits, k, k))
    active = np.ones(fits, dtype=bool)
    converged = np.zeros(fits, dtype=bool)
    for _ in range(_MAX_ITER):
        idx = np.flatnonzero(active)
        if not len(idx):
            break
        wi = None if w is None else w[idx]
        b = beta[idx]
        # the first step of a warm start (the fit without w, w's coefficient 0)
        # has one linear predictor for all fits: compute it once
        shared = wi is not None and Y.ndim == 1 and not b[:, a].any() and (b == b[0]).all()
        eta = (A @ b[0, :a])[None, :] if shared else b[:, :a] @ A.T
        if wi is not None and not shared:
            eta += b[:, a:] * wi
        np.clip(eta, -30.0, 30.0, out=eta)  # as R's binomial link: mu stays inside (0, 1)
        p = np.exp(np.negative(eta, out=eta), out=eta)  # 1 / (1 + e^-eta), in place
        p += 1.0
        np.reciprocal(p, out=p)
        residual = (Y[idx] if Y.ndim == 2 else Y[None, :]) - p
        weight = p * (1.0 - p)
        h = np.empty((len(idx), k, k))
        h[:, :a, :a] = (weight @ AA).reshape(-1, a, a)
        gradient = np.empty((len(idx), k))
        gradient[:, :a] = residual @ A
        if wi is not None:
            weighted = wi * weight
            h[:, :a, a] = weighted @ A
            h[:, a, :a] = h[:, :a, a]
            h[:, a, a] = np.einsum("rn,rn->r", weighted, wi)
            gradient[:, a] = wi @ residual[0] if shared else np.einsum("rn,rn->r", residual, wi)
        H[idx] = h
        try:
            step = np.linalg.solve(h, gradient[..., None])[..., 0]
        except np.linalg.LinAlgError:  # a singular information matrix (separation)
            step = (np.linalg.pinv(h) @ gradient[..., None])[..., 0]
        beta[idx] += step
        done = np.einsum("rk,rk->r", gradient, step) < limit
        converged[idx[done]] = True
        active[idx[done]] = False
    se = np.sqrt(np.abs(np.diagonal(np.linalg.pinv(H), axis1=1, axis2=2)))
    return beta, beta / se, converged


def logit_start(y, k):
    """Start of a logit fit: the intercept-only estimate, other coefficients 0."""
    import numpy as np

    start = np.zeros(k)
    mean = float(np.mean(y))
    start[0] = np.log(mean / (1.0 - mean))
    return start
