import mpmath as mp, numpy as np, sys
mp.mp.dps = 30
T = 14.5
M = 1500
ts = [T*(1-mp.cos(mp.pi*(i+0.5)/M))/2 for i in range(M)]
qs = np.array([float(mp.erfc(t/mp.sqrt(2))/2*mp.exp(t*t/2)) for t in ts])
x = np.array([float(t) for t in ts])/T
def nnls(A, b, iters=500):
    m, n = A.shape; P = np.zeros(n, bool); xx = np.zeros(n)
    w = A.T @ (b - A @ xx)
    it = 0
    while (~P).any() and w[~P].max() > 1e-12 and it < iters:
        it += 1
        j = np.argmax(np.where(~P, w, -np.inf)); P[j] = True
        while True:
            z = np.zeros(n); z[P] = np.linalg.lstsq(A[:, P], b, rcond=None)[0]
            if (z[P] > 0).all(): break
            mask = P & (z <= 0)
            alpha = np.min(xx[mask] / (xx[mask] - z[mask]))
            xx = xx + alpha*(z - xx); P = P & (xx > 1e-15); xx[~P] = 0
        xx = z; w = A.T @ (b - A @ xx)
    return xx
def fit(m, n, iters=40):
    w = np.ones(M); best=None
    for it in range(iters):
        # N(x) - q (D(x) - 1) = q, unknowns a0..am >= 0, b1..bn >= 0  (D(0) = 1)
        A = np.hstack([np.vander(x, m+1, increasing=True), -(qs[:,None])*np.vander(x, n+1, increasing=True)[:,1:]])
        # b-coefficients enter with negative sign; to constrain b>=0 flip: variables a, b with column -q x^j
        sw = np.sqrt(w)/qs
        sol = nnls(A*sw[:,None], qs*sw)
        a = sol[:m+1]; b = np.concatenate([[1.0], sol[m+1:]])
        N = np.polyval(a[::-1], x); D = np.polyval(b[::-1], x)
        err = N/D/qs - 1; e = np.abs(err).max()
        if best is None or e < best[0]: best=(e,a.copy(),b.copy())
        w = w*np.abs(err)+1e-30; w/=w.sum()
    return best
for (m,n) in [(5,6),(6,7),(7,8),(8,9)]:
    e,a,b = fit(m,n)
    print(m,n,"log2 relerr %.2f"%np.log2(e), "a", list(a/np.array([T**i for i in range(m+1)])), "b", list(b/np.array([T**i for i in range(n+1)])))
    sys.stdout.flush()
