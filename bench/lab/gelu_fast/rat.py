import mpmath as mp, numpy as np
mp.mp.dps = 40
T = 14.5
def Q(t): return mp.erfc(t/mp.sqrt(2))/2*mp.exp(t*t/2)
# Chebyshev-distributed sample points in t
M = 3000
ts = [T*(1-mp.cos(mp.pi*(i+0.5)/M))/2 for i in range(M)]
qs = [Q(t) for t in ts]
def fit(m, n, iters=30):
    # N degree m, D degree n with D(0)=1 ; minimize max rel error via IRLS (Lawson-like)
    x = np.array([float(t)/T for t in ts]); q = np.array([float(v) for v in qs])
    w = np.ones(M)
    best = None
    for it in range(iters):
        # rows: N(x) - q*(D(x)-1) = q  -> unknowns a0..am, b1..bn ; weights w/q
        A = np.hstack([np.vander(x, m+1, increasing=True), -(q[:,None])*np.vander(x, n+1, increasing=True)[:,1:]])
        rhs = q
        sw = np.sqrt(w)/q
        sol, *_ = np.linalg.lstsq(A*sw[:,None], rhs*sw, rcond=None)
        a = sol[:m+1]; b = np.concatenate([[1.0], sol[m+1:]])
        # evaluate rel error in mp
        errs = []
        for t, qq in zip(ts, qs):
            xx = t/T
            N = sum(mp.mpf(a[i])*xx**i for i in range(m+1)); D = sum(mp.mpf(b[i])*xx**i for i in range(n+1))
            errs.append(float(N/D/qq - 1))
        errs = np.array(errs)
        e = np.max(np.abs(errs))
        if best is None or e < best[0]: best = (e, a.copy(), b.copy())
        w = w*np.abs(errs); w = w/np.sum(w)  # Lawson update
    return best
for (m,n) in [(5,6),(6,7),(7,8)]:
    e,a,b = fit(m,n)
    print(m,n, "log2 relerr %.2f"%np.log2(e), "a", a/ np.array([T**i for i in range(m+1)]), "b", b/np.array([T**i for i in range(n+1)]))
