#!/bin/sh
# bench/lab/gelu_fast/fit.sh C T0 DEG [SCRIPT]: run fitg.sollya (or SCRIPT, with the same
# placeholders CC, T0, DEG) and write g_C_T0_DEG.txt, the coefficients gf.c and kvse.c read.
here=$(dirname "$0")
script=${4:-$here/fitg.sollya}
out=g_$1_$2_$3.txt
sed "s/CC/$1/g; s/T0/$2/g; s/DEG/$3/g" "$script" | sollya 2>/dev/null | grep -v "^The\|^Display" > "$out"
head -1 "$out"
