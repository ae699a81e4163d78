#!/bin/sh
# gen_host2.sh: writes shared_math.gen.h (the shared math section of kernels/common.clh) and
# kernels_host.gen.h (the issue-3 kernels named below, for sweep2.c).
K=../../../kernels
sed -n '/^\/\* ---- shared math/,$p' $K/common.clh > shared_math.gen.h
: > kernels_host.gen.h
list=""
for id in "$@"; do
  [ -f $K/$id.cl ] || continue
  echo "#include \"$K/$id.cl\"" >> kernels_host.gen.h
  if grep -q "CLACT_ELEMENTWISE_FROM_Y" $K/$id.cl; then list="$list ACTY($id),"; else list="$list ACT($id),"; fi
done
echo "#define HOST_ACTS $list {NULL, NULL, NULL, NULL}" >> kernels_host.gen.h
