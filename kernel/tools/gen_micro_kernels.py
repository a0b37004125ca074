#!/usr/bin/env python3
# Generates MicroKernelF32/F64.java:
#   python3 gen_micro_kernels.py float FloatVector MicroKernelF32 8x2 4x2 narrow:12x1 narrow:8x1 narrow:6x1 narrow:10x2 narrow:8x2 narrow:4x2 alongm:2x10 alongm:1x6 > ../src/main/java/dev/lanewise/kernel/vector/gemm/MicroKernelF32.java
#   python3 gen_micro_kernels.py double DoubleVector MicroKernelF64 6x3 4x2 narrow:12x1 narrow:8x1 narrow:6x1 narrow:10x2 narrow:8x2 narrow:4x2 alongm:2x10 alongm:1x6 > ../src/main/java/dev/lanewise/kernel/vector/gemm/MicroKernelF64.java
# "RxV" is a packed kernel (plus its ...Direct form, and of both the ...PackB form), "narrow:RxV" a kernel for C at most V vectors wide,
# "alongm:VxJ" the kernels alongMVx1 ... alongMVxJ for a narrow C with transposed A (vectors along m).
import sys
def base_name(acc):
    """kernel...: C = alpha * A * B (C not read); accumulate...: C = alpha * A * B + beta * C. Two methods, not one
    with a branch on beta: on the Zen 3 (AVX2, JDK 25) the one method, once C2 recompiled it with both branches hot
    (a product of two KC slices runs both), ran the whole GEMM at ~25 GFLOPS instead of 45-70 (GEMM-NOTES.md)."""
    return "accumulate" if acc else "kernel"

def kernel(T, V, mr, nv, acc):
    s = T  # float/double
    lines = []
    name = f"{base_name(acc)}{mr}x{nv}"
    what = "C = alpha * A * B + beta * C" if acc else "C = alpha * A * B, C not read"
    lines.append(f"    /** {what}; {mr} rows x {nv} vectors of C in registers: {mr*nv} accumulators + {nv} B vectors + {mr} broadcasts. */")
    beta = f" {s} beta," if acc else ""
    lines.append(f"    static void {name}(int kc, {s}[] a, int aOff, {s}[] b, int bOff, {s} alpha,{beta}")
    lines.append(f"                          {s}[] c, int cOff, int ldc) {{")
    for i in range(mr):
        lines.append("        " + f"{V} " + ", ".join(f"c{i}{j} = {V}.zero(S)" for j in range(nv)) + ";")
    # The loop runs on aOff itself: with a counter p, C2 recomputed both panel indices from p in every k step
    # (lea, mov, shl, add, movsxd); with aOff as the induction variable, 3 of those 21 instructions go (probe,
    # kernel4x2 in L1 on the Zen 3, same JVM alternating: medians +13-20%).
    lines.append(f"        int aEnd = aOff + {mr} * kc;")
    lines.append(f"        for (; aOff < aEnd; aOff += {mr}) {{")
    for j in range(nv):
        off = "bOff" if j == 0 else f"bOff + {j} * L" if j>1 else "bOff + L"
        lines.append(f"            {V} b{j} = {V}.fromArray(S, b, {off});")
    for i in range(mr):
        off = "aOff" if i == 0 else f"aOff + {i}"
        lines.append(f"            {V} a{i} = {V}.broadcast(S, a[{off}]);")
        lines.append("            " + " ".join(f"c{i}{j} = a{i}.fma(b{j}, c{i}{j});" for j in range(nv)))
    lines.append(f"            bOff += {nv} * L;")
    lines.append("        }")
    lines.append(f"        {V} va = {V}.broadcast(S, alpha);")
    if acc:
        lines.append(f"        {V} vb = {V}.broadcast(S, beta);")
    for i in range(mr):
        row = "cOff" if i == 0 else ("cOff + ldc" if i == 1 else f"cOff + {i} * ldc")
        for j in range(nv):
            col = "" if j == 0 else (" + L" if j == 1 else f" + {j} * L")
            if acc:
                lines.append(f"        {V}.fromArray(S, c, {row}{col}).fma(vb, c{i}{j}.mul(va)).intoArray(c, {row}{col});")
            else:
                lines.append(f"        c{i}{j}.mul(va).intoArray(c, {row}{col});")
    lines.append("    }")
    return "\n".join(lines)

def direct(T, V, mr, nv, acc):
    k = kernel(T, V, mr, nv, acc)
    name = f"{base_name(acc)}{mr}x{nv}"
    k = k.replace(f"    static void {name}(int kc, {T}[] a, int aOff, {T}[] b,", f"    static void {name}Direct(int kc, {T}[] a, int aOff, int lda, {T}[] b,")
    k = k.replace(f"in registers: {mr*nv} accumulators", f"in registers, A read in place (row r of the panel at aOff + r * lda): {mr*nv} accumulators")
    rows = "\n".join("        int " + (f"r{i} = aOff + {i} * lda" if i > 1 else (f"r{i} = aOff" if i == 0 else "r1 = aOff + lda")) + ";" for i in range(mr))
    header = f"        int aEnd = aOff + {mr} * kc;\n        for (; aOff < aEnd; aOff += {mr}) {{"
    assert header in k
    k = k.replace(header, rows + "\n        for (int p = 0; p < kc; p++) {", 1)
    for i in range(mr):
        off = "aOff" if i == 0 else f"aOff + {i}"
        k = k.replace(f"broadcast(S, a[{off}]);", f"broadcast(S, a[r{i} + p]);")
    return k


def pack_b(T, V, mr, nv, k, name):
    """The kernel k (named name) reading B in place (row p at bOff + p * ldb) and copying each B vector it loads
    into packedB's panel (k step p at pOff + p * nv * L), so the first row panel of a block packs B while it
    computes: the copy's reads of B then overlap the FMAs instead of making a pass of their own."""
    k = k.replace(f"    static void {name}(", f"    static void {name}PackB(", 1)
    k = k.replace(f"{T}[] b, int bOff, {T} alpha,", f"{T}[] b, int bOff,\n                          int ldb, {T}[] packedB, int pOff, {T} alpha,", 1)
    k = k.replace(". */\n    static void", ";\n     * B read in place (row p at bOff + p * ldb) and copied into the packed panel packedB[pOff ..] as it goes. */\n    static void", 1)
    loads = f"            {V} b{nv - 1} = {V}.fromArray(S, b, " + ("bOff" if nv == 1 else ("bOff + L" if nv == 2 else f"bOff + {nv - 1} * L")) + ");\n"
    stores = "".join(f"            b{j}.intoArray(packedB, " + ("pOff" if j == 0 else ("pOff + L" if j == 1 else f"pOff + {j} * L")) + ");\n" for j in range(nv))
    assert loads in k
    k = k.replace(loads, loads + stores, 1)
    k = k.replace(f"            bOff += {nv} * L;\n", f"            bOff += ldb;\n            pOff += {nv} * L;\n", 1)
    return k


def open_branch(lines, idx, count, cond):
    """Opens branch idx of a dispatcher's if / else-if chain over count shapes; the last one is the plain else (it
    takes every other value), so a single shape needs no if at all. The caller closes each branch with "}"."""
    head = "{" if idx == count - 1 else f"if ({cond}) {{"
    if idx == 0:
        lines.append("        " + head)
    else:
        lines[-1] += " else " + head


def narrow(T, V, mr, nv, rows_form=False):
    """Rows x n of C, n <= nv vectors, A and B read in place (no packing), alpha * acc written to an MR x NR tile.
    rows_form: the ...Rows twin for kStep = 1 (A's rows in place, NN), indexed by the loop counter so that C2 hoists
    the range checks of all MR row streams out of the loop (the general form's a[r + q] keeps one per broadcast)."""
    s = T
    lines = []
    if rows_form:
        lines.append(f"    /**")
        lines.append(f"     * {{@code narrow{mr}x{nv}}} for op(A)'s rows in place (kStep = 1, untransposed A): the same FMA chains, so the")
        lines.append(f"     * same bits, but A indexed by the loop counter ({{@code a[r + p]}}), which lets C2 hoist the {mr} range checks")
        lines.append(f"     * out of the loop; the general form keeps one per broadcast (GEMM-NOTES.md \"Session 13\").")
        lines.append(f"     */")
        lines.append(f"    static void narrow{mr}x{nv}Rows(int kc, {s}[] a, int aOff, int rowStep, {s}[] b, int bOff, int ldb,")
        lines.append(f"                            int rows, int n, {s} alpha, {s}[] tile) {{")
    else:
        lines.append(f"    /**")
        lines.append(f"     * Narrow C: rows (<= {mr}) x n (<= {nv} vector lengths) of C in registers, {mr*nv} accumulators + {nv} B vectors +")
        lines.append(f"     * {mr} broadcasts. op(A)(i, p) is {{@code a[aOff + i * rowStep + p * kStep]}} (rows in place: rowStep = lda,")
        lines.append(f"     * kStep = 1; transposed in place: 1, lda), op(B) row p is {{@code b[bOff + p * ldb ..]}}, loaded as full vectors")
        lines.append(f"     * (lanes past n only reach tile lanes that are never merged into C) but for the last rows of an exactly sized b,")
        lines.append(f"     * which load under the column mask. Rows past {{@code rows}} recompute row 0, so no A row beyond the matrix")
        lines.append(f"     * is read. Writes alpha * acc as full vectors to {{@code tile}} (row i at i * {nv} * L), which the caller merges")
        lines.append(f"     * into C under the masks: masked stores here made the method too big for C1 (see GEMM-NOTES.md).")
        lines.append(f"     */")
        lines.append(f"    static void narrow{mr}x{nv}(int kc, {s}[] a, int aOff, int rowStep, int kStep, {s}[] b, int bOff, int ldb,")
        lines.append(f"                            int rows, int n, {s} alpha, {s}[] tile) {{")
    for j in range(nv):
        start = "0" if j == 0 else ("L" if j == 1 else f"{j} * L")
        lines.append(f"        VectorMask<{'Float' if T=='float' else 'Double'}> m{j} = S.indexInRange({start}, n);")
    for i in range(mr):
        if i == 0:
            lines.append(f"        int r0 = aOff;")
        else:
            lines.append(f"        int r{i} = aOff + (rows > {i} ? {i if i > 1 else ''}{' * ' if i > 1 else ''}rowStep : 0);")
    for i in range(mr):
        lines.append("        " + f"{V} " + ", ".join(f"c{i}{j} = {V}.zero(S)" for j in range(nv)) + ";")
    # B rows whose nv full vectors lie inside b load unmasked (lanes past n only reach tile lanes that are never
    # merged into C); only the last rows of an exactly sized B take the masked load. Its out-of-range path is a
    # call, and with it in the loop C2 kept every accumulator on the stack (GEMM-NOTES.md "Session 16").
    room = "b.length - bOff - " + ("L" if nv == 1 else f"{nv} * L")
    lines.append(f"        int room = {room};")
    lines.append(f"        int inside = room < 0 ? 0 : Math.min(kc, room / ldb + 1);")
    def k_loop(start, end, masked):
        if rows_form:
            lines.append(f"        for (int p = {start}; p < {end}; p++) {{")
        else:
            q0 = "0" if start == "0" else f"{start} * kStep"
            lines.append(f"        for (int p = {start}, q = {q0}; p < {end}; p++, q += kStep) {{")
        for j in range(nv):
            off = "bOff" if j == 0 else (f"bOff + {j} * L" if j > 1 else "bOff + L")
            mask = f", m{j}" if masked else ""
            lines.append(f"            {V} b{j} = {V}.fromArray(S, b, {off}{mask});")
        for i in range(mr):
            lines.append(f"            {V} a{i} = {V}.broadcast(S, a[r{i} + {'p' if rows_form else 'q'}]);")
            lines.append("            " + " ".join(f"c{i}{j} = a{i}.fma(b{j}, c{i}{j});" for j in range(nv)))
        lines.append(f"            bOff += ldb;")
        lines.append("        }")
    k_loop("0", "inside", False)
    k_loop("inside", "kc", True)
    lines.append(f"        {V} va = {V}.broadcast(S, alpha);")
    for i in range(mr):
        for j in range(nv):
            at = "0" if i * nv + j == 0 else ("L" if i * nv + j == 1 else f"{i * nv + j} * L")
            lines.append(f"        c{i}{j}.mul(va).intoArray(tile, {at});")
    lines.append("    }")
    return "\n".join(lines)

def along_m(T, V, nv, cols):
    """nv * L rows x cols columns of C with the vectors along m: for a transposed A, whose stored rows hold op(A)'s
    columns, the nv vectors of a k step are plain loads and each B value is broadcast once for nv FMAs, so no lane
    computes padding whatever n is (the narrow kernels pad n up to whole vectors)."""
    s = T
    lines = []
    lines.append(f"    /**")
    lines.append(f"     * Vectors along m: {nv} * L rows x {cols} column{'s' if cols > 1 else ''} of C, {nv * cols} accumulators + {nv} A vectors + {cols} broadcast{'s' if cols > 1 else ''}.")
    lines.append(f"     * op(A) is transposed A read in place: rows aOff .. aOff + {nv} * L - 1 of op(A) at k step p are")
    lines.append(f"     * {{@code a[aOff + p * lda ..]}}; op(B)(p, j) is {{@code b[bOff + p * ldb + j]}}. Writes alpha * acc to {{@code tile}}")
    lines.append(f"     * column by column (column j at j * {nv} * L), which the caller merges into C transposed.")
    lines.append(f"     */")
    lines.append(f"    static void alongM{nv}x{cols}(int kc, {s}[] a, int aOff, int lda, {s}[] b, int bOff, int ldb, {s} alpha,")
    lines.append(f"                            {s}[] tile) {{")
    for j in range(cols):
        lines.append("        " + f"{V} " + ", ".join(f"c{v}{j} = {V}.zero(S)" for v in range(nv)) + ";")
    lines.append(f"        for (int p = 0; p < kc; p++) {{")
    for v in range(nv):
        off = "aOff" if v == 0 else (f"aOff + {v} * L" if v > 1 else "aOff + L")
        lines.append(f"            {V} a{v} = {V}.fromArray(S, a, {off});")
    for j in range(cols):
        off = "bOff" if j == 0 else f"bOff + {j}"
        lines.append(f"            {V} b{j} = {V}.broadcast(S, b[{off}]);")
        lines.append("            " + " ".join(f"c{v}{j} = a{v}.fma(b{j}, c{v}{j});" for v in range(nv)))
    lines.append(f"            aOff += lda;")
    lines.append(f"            bOff += ldb;")
    lines.append("        }")
    lines.append(f"        {V} va = {V}.broadcast(S, alpha);")
    for j in range(cols):
        for v in range(nv):
            at = "0" if j * nv + v == 0 else ("L" if j * nv + v == 1 else f"{j * nv + v} * L")
            lines.append(f"        c{v}{j}.mul(va).intoArray(tile, {at});")
    lines.append("    }")
    return "\n".join(lines)


T, V, cls, shapes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
out = []
out.append(f"""package dev.lanewise.kernel.vector.gemm;

import jdk.incubator.vector.{V};
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {T} register micro-kernels: C[MR x NR] = alpha * Apanel * Bpanel + beta * C over packed panels (A: MR values
 * per k step, B: NR = NV vectors per k step). Each shape is written out in full (generated by
 * kernel/tools/gen_micro_kernels.py, then committed) because a kernel generic over MR/NV or the species keeps its accumulators in arrays and spills; here
 * every accumulator is a local that C2 keeps in a register. The kernel... methods store alpha * acc and never read C,
 * the accumulate... twins add beta * C. The result of every element
 * is the same k-ordered chain of FMAs whatever tile or thread computes it.
 */
final class {cls} {{
    static final VectorSpecies<{'Float' if T=='float' else 'Double'}> S = {V}.SPECIES_PREFERRED;
    static final int L = S.length();

    private {cls}() {{
    }}
""")
along = []
narrows = []
for sh in shapes:
    if sh.startswith("alongm:"):
        nv, cols = map(int, sh[len("alongm:"):].split("x"))
        for j in range(1, cols + 1):
            out.append(along_m(T, V, nv, j))
            out.append("")
        along.append((nv, cols))
        continue
    if sh.startswith("narrow:"):
        mr, nv = map(int, sh[len("narrow:"):].split("x"))
        out.append(narrow(T, V, mr, nv))
        out.append("")
        out.append(narrow(T, V, mr, nv, rows_form=True))
        out.append("")
        narrows.append((mr, nv))
        continue
    mr, nv = map(int, sh.split("x"))
    for acc in (False, True):
        name = f"{base_name(acc)}{mr}x{nv}"
        out.append(kernel(T, V, mr, nv, acc))
        out.append("")
        out.append(direct(T, V, mr, nv, acc))
        out.append("")
        out.append(pack_b(T, V, mr, nv, kernel(T, V, mr, nv, acc), name))
        out.append("")
        out.append(pack_b(T, V, mr, nv, direct(T, V, mr, nv, acc), f"{name}Direct"))
        out.append("")
if along:
    args = "kc, a, aOff, lda, b, bOff, ldb, alpha, tile"
    lines = ["    /** Runs alongM{nv}x{cols}: nv is the register file's (" + " or ".join(f"{nv}, cols <= {c}" for nv, c in along) + "). */",
             f"    static void alongM(int nv, int cols, int kc, {T}[] a, int aOff, int lda, {T}[] b, int bOff, int ldb,",
             f"                       {T} alpha, {T}[] tile) {{"]
    for idx, (nv, cols) in enumerate(along):
        open_branch(lines, idx, len(along), f"nv == {nv}")
        lines.append("            switch (cols) {")
        for j in range(1, cols):
            lines.append(f"                case {j} -> alongM{nv}x{j}({args});")
        lines.append(f"                default -> alongM{nv}x{cols}({args});")
        lines.append("            }")
        lines.append("        }")
    lines.append("    }")
    out.append("\n".join(lines))
    out.append("")
if narrows:
    shapes_doc = ", ".join(f"{mr} x {nv}" for mr, nv in narrows)
    lines = [f"    /**",
             f"     * Runs narrow{{mr}}x{{nv}} ({shapes_doc}; any other mr runs the last), in its ...Rows form when kStep = 1",
             f"     * (A's rows in place): same FMA chains, so same bits, with the range checks hoisted out of the k loop.",
             f"     */",
             f"    static void narrow(int mr, int nv, int kc, {T}[] a, int aOff, int rowStep, int kStep, {T}[] b, int bOff,",
             f"                       int ldb, int rows, int n, {T} alpha, {T}[] tile) {{",
             f"        boolean inRows = kStep == 1;"]
    for idx, (mr, nv) in enumerate(narrows):
        open_branch(lines, idx, len(narrows), f"mr == {mr} && nv == {nv}")
        lines.append(f"            if (inRows) {{")
        lines.append(f"                narrow{mr}x{nv}Rows(kc, a, aOff, rowStep, b, bOff, ldb, rows, n, alpha, tile);")
        lines.append(f"            }} else {{")
        lines.append(f"                narrow{mr}x{nv}(kc, a, aOff, rowStep, kStep, b, bOff, ldb, rows, n, alpha, tile);")
        lines.append(f"            }}")
        lines.append("        }")
    lines.append("    }")
    out.append("\n".join(lines))
    out.append("")
out[-1] = "}"
print("\n".join(out))
