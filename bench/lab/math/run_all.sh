#!/bin/sh
# bench/lab/math/run_all.sh: rebuilds and reruns everything RESULTS.md reports (about 1.5 h on two
# cores; the exhaustive sweeps dominate). Logs go to ./*.log. Run the timing on a quiet machine.
set -e
cd "$(dirname "$0")"
make -s all
sollya gen_coeffs.sollya | grep -v -i "precision has\|verbosity" > coeffs.log
./refcheck | tee refcheck.log
./sweep helpers | tee helpers.log
./sweep all specials | tee specials.log
./sweep all all | tee sweep_default.log
for p in "0.5 20" "3 5" "0.001 20"; do ./sweep softplus fwd -p $p; done | tee sweep_softplus_beta.log
for p in "0.5 20" "3 5" "0.001 20"; do ./sweep softplus bwd -s 16 -p $p; ./sweep softplus bwd_y -s 16 -p $p; done | tee -a sweep_softplus_beta.log
for p in "0.5 0" "1.6732632 0" "-1.5 0" "1000 0"; do ./sweep elu all -s 16 -p $p; done | tee sweep_elu_alpha.log
./clcheck 1 8 16 | tee clcheck.log
./clcheck -naive 16 | tee -a clcheck.log
# (-P PRELUDE: a prelude without these helpers; the library prelude now carries a copy of them)
./clbench 8 16 | tee clbench.log
