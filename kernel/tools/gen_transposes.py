#!/usr/bin/env python3
"""Writes kernel/src/main/java/dev/lanewise/kernel/vector/gemm/Transposes.java: in-register L x L transposes for
packing a transposed B (python3 kernel/tools/gen_transposes.py; commit both files).

Why generated: the network must be written out with one local per row (an array of vectors is boxed), log2(L) stages
of L two-vector selections each: float at 512, 256 and 128 bits (16, 8 and 4 lanes), double at 512 (8 lanes)."""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'java', 'dev', 'lanewise',
                   'kernel', 'vector', 'gemm', 'Transposes.java')


def swap_stage(prefix, rows, d, stage):
    """One stage of the network on locals r0 .. r{rows-1}: each pair (r, r + d) with bit d of r clear exchanges its
    off-diagonal d-lane blocks through the stage's two shuffles."""
    lines = []
    for r in range(rows):
        if r & d:
            continue
        q = r + d
        lines += [f'        lo = {prefix}_LO{stage}.selectFrom(r{r}, r{q});',
                  f'        hi = {prefix}_HI{stage}.selectFrom(r{r}, r{q});',
                  f'        r{r} = lo;',
                  f'        r{q} = hi;']
    return lines


def network(lines, name, V, L):
    """Appends the loads of rows r0 .. r{L-1} and the log2(L) swap stages; returns the number of stages."""
    for r in range(L):
        idx = 'off' if r == 0 else ('off + ld' if r == 1 else f'off + {r} * ld')
        lines.append(f'        {V} r{r} = {V}.fromArray({name.upper()}_S, src, {idx});')
    lines.append(f'        {V} lo, hi;')
    stage = 0
    d = L // 2
    while d >= 1:
        lines += swap_stage(name.upper(), L, d, stage)
        d //= 2
        stage += 1
    return stage


def method(name, T, V, L):
    lines = [f'    /**',
             f'     * dst[dOff + c * ldd + r] = src[off + r * ld + c] for r, c in [0, {L}): a {L} x {L} transpose through',
             f'     * registers. Stage d swaps the off-diagonal d x d blocks of each 2d x 2d block (d = {L // 2}, ..., 1).',
             f'     */',
             f'    static void {name}({T}[] src, int off, int ld, {T}[] dst, int dOff, int ldd) {{']
    stage = network(lines, name, V, L)
    for r in range(L):
        idx = 'dOff' if r == 0 else ('dOff + ldd' if r == 1 else f'dOff + {r} * ldd')
        lines.append(f'        r{r}.intoArray(dst, {idx});')
    lines.append('    }')
    return '\n'.join(lines), stage


def head_method(name, T, V, L):
    """The first count (1 .. L) columns of an L-row block through the same network: the last kc mod L k steps of a
    transposed B panel. The loads are whole rows (columns past count are read, never stored: the caller checks that
    the last row's L elements are inside src); only count result rows are stored. Masked loads instead measured 7 x
    slower than the scalar copy (C2 did not intrinsify them here)."""
    lines = [f'    /**',
             f'     * dst[dOff + c * ldd + r] = src[off + r * ld + c] for r in [0, {L}), c in [0, count), count in [1, {L}]: the',
             f'     * transpose of {name} storing the first count rows of its result, for the k steps of a transposed B panel',
             f'     * past its last whole block. Reads src[off + r * ld + c] for every c below {L}: the caller keeps that in bounds.',
             f'     */',
             f'    static void {name}Head({T}[] src, int off, int ld, int count, {T}[] dst, int dOff, int ldd) {{']
    stage = network(lines, name, V, L)
    lines.append('        r0.intoArray(dst, dOff);')
    for r in range(1, L):
        idx = 'dOff + ldd' if r == 1 else f'dOff + {r} * ldd'
        lines.append(f'        if (count > {r}) {{')
        lines.append(f'            r{r}.intoArray(dst, {idx});')
        lines.append('        }')
    lines.append('    }')
    return '\n'.join(lines)


def panel_method():
    """8 rows x 16 k values of an untransposed A into the k-major 8-row panel (packed A for float 8 x 2 at 512 bits):
    stages d = 4, 2, 1 transpose both 8 x 8 halves (vector r then holds the 8 rows at k = r and at k = 8 + r); the
    d = 8 shuffles then join the halves of r = 2q and 2q + 1 into the panel's 16 values at k = 2q, 2q + 1 (and
    8 + 2q, 9 + 2q), so the 8 results are the panel's next 128 values in order."""
    lines = ['    /**',
             '     * dst[dOff + p * 8 + r] = src[off + r * ld + p] for r in [0, 8), p in [0, 16): 8 rows x 16 k values of an',
             '     * untransposed A into k-major 8-row panel order through registers. Stages d = 4, 2, 1 transpose both 8 x 8',
             '     * halves (row r then holds the 8 rows at k = r and k = 8 + r); the d = 8 shuffles join the halves of rows',
             '     * 2q and 2q + 1, which puts the 128 results in panel order.',
             '     */',
             '    static void f32x8x16(float[] src, int off, int ld, float[] dst, int dOff) {']
    for r in range(8):
        idx = 'off' if r == 0 else ('off + ld' if r == 1 else f'off + {r} * ld')
        lines.append(f'        FloatVector r{r} = FloatVector.fromArray(F32X16_S, src, {idx});')
    lines.append('        FloatVector lo, hi;')
    for stage, d in ((1, 4), (2, 2), (3, 1)):
        lines += swap_stage('F32X16', 8, d, stage)
    for q in range(4):
        a, b = 2 * q, 2 * q + 1
        lines += [f'        lo = F32X16_LO0.selectFrom(r{a}, r{b});',
                  f'        hi = F32X16_HI0.selectFrom(r{a}, r{b});',
                  f'        lo.intoArray(dst, dOff + {16 * q});',
                  f'        hi.intoArray(dst, dOff + {64 + 16 * q});']
    lines.append('    }')
    return '\n'.join(lines)


def constants(name, E, V, species, L, stages, indexes):
    """The species and the stages' index vectors; `indexes` names the Java helper that gives them as an array of
    the element type (selectFrom's index vector is of the data's own type)."""
    lines = [f'    static final VectorSpecies<{E}> {name.upper()}_S = {species};']
    for s in range(stages):
        d = L >> (s + 1)
        lines.append(f'    private static final {V} {name.upper()}_LO{s} = {V}.fromArray({name.upper()}_S, {indexes}({L}, {d}, true), 0);')
        lines.append(f'    private static final {V} {name.upper()}_HI{s} = {V}.fromArray({name.upper()}_S, {indexes}({L}, {d}, false), 0);')
    return '\n'.join(lines)


# Double only at 512 bits: on AVX2 (Zen 3, JDK 25) C2 does not intrinsify a 4-lane double selectFrom(v1, v2), so a
# 4 x 4 double transpose ran the Java fallback (boxed, 39 KB per step in the mlp AllocationTest); float's 8- and
# 4-lane ones compile.
WIDTHS = (('f32x16', 'float', 16, 'SPECIES_512'), ('f64x8', 'double', 8, 'SPECIES_512'),
          ('f32x8', 'float', 8, 'SPECIES_256'), ('f32x4', 'float', 4, 'SPECIES_128'))
square = []
consts = []
for name, T, lanes, species in WIDTHS:
    V, E, idx = ('FloatVector', 'Float', 'floatBlocks') if T == 'float' else ('DoubleVector', 'Double', 'blocks')
    body, stages = method(name, T, V, lanes)
    square += [body, head_method(name, T, V, lanes)]
    consts.append(constants(name, E, V, f'{V}.{species}', lanes, stages, idx))
f32_panel = panel_method()
text = f'''package dev.lanewise.kernel.vector.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transposes of square blocks for packing a transposed B (and of 8 x 16 blocks for packing an untransposed
 * float A into 8-row panels): one vector load per stored row, log2(L)
 * stages of two-vector selections ({{@code selectFrom(v1, v2)}}, one permute instruction), one vector store per packed
 * row. Measured 2.5 x faster than gathering one vector of columns per k step (a 128 x 128 float transpose: 1.9
 * against 4.7 us, Zen 5); {{@code selectFrom}} is 1.5 x faster than the two-vector {{@code rearrange}} it replaced
 * (which compiles to two permutes and a blend: 2.6 against 4.0 us, Intel Xeon, session 9). Float at 512, 256 and 128
 * bits (at 256 and 128 they replace a gather that C2 left boxed in 6 of 9 kernel AllocationTest JVMs on Zen 3, and
 * beat it 1.2-1.3 x there: a 256 x 256 panel pack 52-54 against 61-69 us, probe); double only at 512 bits (C2 does not
 * intrinsify AVX2's 4-lane double selectFrom; narrower doubles take the scalar copy). Generated by
 * kernel/tools/gen_transposes.py.
 */
final class Transposes {{
{chr(10).join(consts)}

    private Transposes() {{
    }}

    /**
     * The selection indexes of one stage: lane c of the lower row of a pair keeps its own lane where bit d of c is 0
     * and takes lane c - d of the upper row where it is 1; the upper row takes lane c + d of the lower row, or keeps
     * its own. Indexes from lanes upward select from selectFrom's second vector (the upper row).
     */
    private static double[] blocks(int lanes, int d, boolean lower) {{
        double[] index = new double[lanes];
        for (int c = 0; c < lanes; c++) {{
            boolean own = (c & d) == 0;
            index[c] = lower ? (own ? c : c - d + lanes) : (own ? c + d : c + lanes);
        }}
        return index;
    }}

    private static float[] floatBlocks(int lanes, int d, boolean lower) {{
        double[] index = blocks(lanes, d, lower);
        float[] f = new float[lanes];
        for (int c = 0; c < lanes; c++) {{
            f[c] = (float) index[c];
        }}
        return f;
    }}

{(chr(10) + chr(10)).join(square)}

{f32_panel}
}}
'''
open(OUT, 'w').write(text)
