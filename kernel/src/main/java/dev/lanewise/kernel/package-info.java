/**
 * Lanewise kernels: row-major, BLAS-like numerics for dense neural networks in float and double.
 *
 * <p>The public entry points are static facades ({@link dev.lanewise.kernel.Gemm}, {@link dev.lanewise.kernel.Gemv},
 * {@link dev.lanewise.kernel.Ger}, {@link dev.lanewise.kernel.Blas1}, {@link dev.lanewise.kernel.Reductions},
 * {@link dev.lanewise.kernel.Activation}, {@link dev.lanewise.kernel.Softmax}, {@link dev.lanewise.kernel.Losses}).
 * Each validates its arguments, then calls the {@link dev.lanewise.kernel.spi.KernelProvider} chosen once per JVM by
 * {@link dev.lanewise.kernel.spi.Providers}: the Vector API provider when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, the scalar provider otherwise.
 */
package dev.lanewise.kernel;
