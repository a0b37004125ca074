package dev.lanewise.mlp.io;

import dev.lanewise.mlp.Matrix;
import dev.lanewise.mlp.Mlp;
import dev.lanewise.mlp.Parameter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a model's parameters in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format: an 8-byte little-endian header length, a JSON header mapping each tensor name to its dtype, shape and
 * byte range, then the little-endian data.
 *
 * <p>Names and layouts: {@code layers.<i>.W} with shape [in, out] (z = x·W + b, so PyTorch's {@code nn.Linear}
 * weight is its transpose) and {@code layers.<i>.b} with shape [out]. dtype F32 for float models, F64 for double;
 * loading converts either into the model's precision.
 *
 * <p>Saving writes a temporary file in the target directory and moves it into place (atomically where the file
 * system supports it), so a crash never leaves a half-written file under the target name. Loading reads and checks
 * the whole file (header, names, dtypes, shapes, byte ranges) before it writes any parameter: a truncated, corrupt
 * or mismatched file throws {@link IOException} naming the problem and leaves the model unchanged.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    /** Writes every parameter of {@code model} to {@code file}, replacing it atomically. */
    public static void save(Mlp model, Path file) throws IOException {
        String dtype = switch (model.precision()) {
            case FLOAT -> "F32";
            case DOUBLE -> "F64";
        };
        int width = model.precision() == dev.lanewise.mlp.Precision.FLOAT ? 4 : 8;
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"lanewise\",\"layout\":"
                + "\"z = x @ W + b; W is [in, out] row-major\"}");
        long offset = 0;
        for (Parameter p : model.parameters()) {
            Matrix v = p.value();
            String shape = isBias(p) ? "[" + v.cols() + "]" : "[" + v.rows() + "," + v.cols() + "]";
            long bytes = (long) v.size() * width;
            header.append(",\"").append(p.name()).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":")
                    .append(shape).append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes)
                    .append("]}");
            offset += bytes;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');     // the format pads the header so the data starts 8-byte aligned
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + headerBytes.length + offset))
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(headerBytes.length).put(headerBytes);
        for (Parameter p : model.parameters()) {
            Matrix v = p.value();
            for (int i = 0; i < v.size(); i++) {
                if (width == 4) {
                    out.putFloat((float) v.get(i));
                } else {
                    out.putDouble(v.get(i));
                }
            }
        }
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp)) {
                os.write(out.array());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Loads every parameter of {@code model} from {@code file}; on any problem throws and changes nothing. */
    public static void load(Mlp model, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IOException(file + ": truncated: " + bytes.length + " bytes, shorter than the header length");
        }
        long headerLength = in.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
            throw new IOException(file + ": corrupt or truncated: header length " + headerLength + " but the file has "
                    + bytes.length + " bytes");
        }
        Map<?, ?> header;
        try {
            Object parsed = Json.parse(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> m)) {
                throw new IOException(file + ": corrupt header: not a JSON object");
            }
            header = m;
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": corrupt header: " + e.getMessage(), e);
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<Parameter, double[]> staged = new LinkedHashMap<>();
        List<String> expected = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            expected.add(p.name());
            Object entry = header.get(p.name());
            if (!(entry instanceof Map<?, ?> tensor)) {
                throw new IOException(file + ": no tensor '" + p.name() + "' (the model has " + model.parameters().size()
                        + " parameters: " + names(model) + ")");
            }
            staged.put(p, read(file, p, tensor, in, dataStart, dataLength));
        }
        for (Object key : header.keySet()) {
            if (!"__metadata__".equals(key) && !expected.contains(key)) {
                throw new IOException(file + ": tensor '" + key + "' does not belong to this model (" + names(model)
                        + ")");
            }
        }
        // Everything checked: only now write into the model.
        for (Map.Entry<Parameter, double[]> e : staged.entrySet()) {
            Matrix v = e.getKey().value();
            double[] values = e.getValue();
            for (int i = 0; i < values.length; i++) {
                v.set(i, values[i]);
            }
        }
    }

    private static double[] read(Path file, Parameter p, Map<?, ?> tensor, ByteBuffer in, long dataStart,
                                 long dataLength) throws IOException {
        String where = file + ": tensor '" + p.name() + "': ";
        Object dtype = tensor.get("dtype");
        int width;
        if ("F32".equals(dtype)) {
            width = 4;
        } else if ("F64".equals(dtype)) {
            width = 8;
        } else {
            throw new IOException(where + "dtype " + dtype + " is not supported (F32 or F64)");
        }
        Matrix v = p.value();
        List<Long> shape = longs(tensor.get("shape"), where + "shape");
        boolean shapeOk = shape.size() == 2 ? shape.get(0) == v.rows() && shape.get(1) == v.cols()
                : shape.size() == 1 && isBias(p) && shape.get(0) == v.cols();
        if (!shapeOk) {
            throw new IOException(where + "shape " + shape + " does not match the model's " + (isBias(p)
                    ? "[" + v.cols() + "]" : "[" + v.rows() + ", " + v.cols() + "]"));
        }
        List<Long> offsets = longs(tensor.get("data_offsets"), where + "data_offsets");
        if (offsets.size() != 2) {
            throw new IOException(where + "data_offsets must have two entries, got " + offsets);
        }
        long begin = offsets.get(0), end = offsets.get(1);
        if (begin < 0 || end < begin || end - begin != (long) v.size() * width) {
            throw new IOException(where + "data_offsets " + offsets + " do not hold " + v.size() + " " + dtype
                    + " values");
        }
        if (end > dataLength) {
            throw new IOException(where + "truncated: data ends at byte " + end + " but the data section has "
                    + dataLength + " bytes");
        }
        double[] values = new double[v.size()];
        int base = (int) (dataStart + begin);
        for (int i = 0; i < values.length; i++) {
            values[i] = width == 4 ? in.getFloat(base + 4 * i) : in.getDouble(base + 8 * i);
        }
        return values;
    }

    private static List<Long> longs(Object array, String what) throws IOException {
        if (!(array instanceof List<?> list)) {
            throw new IOException(what + " is not an array");
        }
        List<Long> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Long l)) {
                throw new IOException(what + " holds " + o + ", not an integer");
            }
            out.add(l);
        }
        return out;
    }

    private static boolean isBias(Parameter p) {
        return p.name().endsWith(".b");
    }

    private static String names(Mlp model) {
        return model.parameters().stream().map(Parameter::name).toList().toString();
    }
}
