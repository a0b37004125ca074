package dev.lanewise.mlp.io;

import dev.lanewise.kernel.Activation;
import dev.lanewise.mlp.Initializer;
import dev.lanewise.mlp.Mlp;
import dev.lanewise.mlp.Parameter;
import dev.lanewise.mlp.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest {
    @TempDir
    Path dir;

    static Mlp model(Precision p, long seed) {
        return Mlp.of(p, "5-7-3", Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL, seed);
    }

    static double[][] snapshot(Mlp m) {
        return m.parameters().stream().map(p -> p.value().toDoubleArray()).toArray(double[][]::new);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void roundTripIsExact(Precision precision) throws IOException {
        Mlp a = model(precision, 1), b = model(precision, 2);
        Path f = dir.resolve("m.safetensors");
        Safetensors.save(a, f);
        assertThat(snapshot(b)).isNotEqualTo(snapshot(a));
        Safetensors.load(b, f);
        assertThat(snapshot(b)).isEqualTo(snapshot(a));
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(f);
        }
    }

    /** The file follows the format: u64 LE header length, JSON header, data at the stated offsets, LE values. */
    @Test
    void layoutFollowsTheSafetensorsFormat() throws IOException {
        Mlp m = model(Precision.FLOAT, 3);
        Path f = dir.resolve("m.safetensors");
        Safetensors.save(m, f);
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = in.getLong();
        assertThat((8 + n) % 8).as("data 8-byte aligned").isZero();
        Map<?, ?> header = (Map<?, ?>) Json.parse(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        Map<?, ?> w = (Map<?, ?>) header.get("layers.0.W");
        assertThat(w.get("dtype")).isEqualTo("F32");
        assertThat(w.get("shape")).isEqualTo(List.of(5L, 7L));
        assertThat(((Map<?, ?>) header.get("layers.1.b")).get("shape")).isEqualTo(List.of(3L));
        long begin = (Long) ((List<?>) w.get("data_offsets")).getFirst();
        assertThat(in.getFloat((int) (8 + n + begin) + 4 * 2)).isEqualTo((float) m.parameter("layers.0.W").value().get(2));
    }

    @Test
    void loadConvertsPrecision() throws IOException {
        Mlp d = model(Precision.DOUBLE, 4);
        Path f = dir.resolve("d.safetensors");
        Safetensors.save(d, f);
        Mlp fl = model(Precision.FLOAT, 5);
        Safetensors.load(fl, f);
        double[] w = fl.parameters().getFirst().value().toDoubleArray();
        double[] expected = Arrays.stream(d.parameters().getFirst().value().toDoubleArray()).map(v -> (float) v).toArray();
        assertThat(w).isEqualTo(expected);
    }

    @Test
    void truncatedFileThrowsAndLeavesTheModelUnchanged() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.save(model(Precision.FLOAT, 1), f);
        byte[] bytes = Files.readAllBytes(f);
        for (int cut : new int[]{0, 5, 8, 20, bytes.length - 1}) {
            Files.write(f, Arrays.copyOf(bytes, cut));
            Mlp target = model(Precision.FLOAT, 9);
            double[][] before = snapshot(target);
            assertThatThrownBy(() -> Safetensors.load(target, f)).as("cut at %d", cut).isInstanceOf(IOException.class)
                    .hasMessageFindingMatch("truncated|corrupt");
            assertThat(snapshot(target)).isEqualTo(before);
        }
    }

    @Test
    void corruptHeaderThrowsAndLeavesTheModelUnchanged() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.save(model(Precision.FLOAT, 1), f);
        byte[] bytes = Files.readAllBytes(f);
        bytes[8] = '#';    // the header's opening brace
        Files.write(f, bytes);
        Mlp target = model(Precision.FLOAT, 9);
        double[][] before = snapshot(target);
        assertThatThrownBy(() -> Safetensors.load(target, f)).isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt header");
        assertThat(snapshot(target)).isEqualTo(before);
    }

    @Test
    void shapeMismatchThrowsNamingTheTensorAndLeavesTheModelUnchanged() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.save(Mlp.of(Precision.FLOAT, "5-7-3", Activation.RELU, Activation.IDENTITY,
                Initializer.HE_NORMAL, 1), f);
        Mlp other = Mlp.of(Precision.FLOAT, "5-8-3", Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL, 2);
        double[][] before = snapshot(other);
        assertThatThrownBy(() -> Safetensors.load(other, f)).isInstanceOf(IOException.class)
                .hasMessageContaining("layers.0.W").hasMessageContaining("shape");
        assertThat(snapshot(other)).isEqualTo(before);
        Mlp deeper = Mlp.of(Precision.FLOAT, "5-7-3-2", Activation.RELU, Activation.IDENTITY, Initializer.HE_NORMAL, 2);
        assertThatThrownBy(() -> Safetensors.load(deeper, f)).hasMessageContaining("no tensor 'layers.2.W'");
    }

    @Test
    void saveReplacesAnExistingFile() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Files.writeString(f, "old content");
        Mlp m = model(Precision.DOUBLE, 1);
        Safetensors.save(m, f);
        Mlp back = model(Precision.DOUBLE, 2);
        Safetensors.load(back, f);
        for (int i = 0; i < m.parameters().size(); i++) {
            Parameter p = m.parameters().get(i);
            assertThat(back.parameters().get(i).value().toDoubleArray()).isEqualTo(p.value().toDoubleArray());
        }
    }
}
