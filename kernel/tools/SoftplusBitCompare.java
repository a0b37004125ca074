import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Float SOFTPLUS forward of every float bit pattern (2^32), from two builds of the kernel's classes (a directory or a
 * jar each, loaded side by side): counts the results whose bits differ (any NaN matches any NaN). Used to show that
 * the kernel's clamps (z at 20, log1p's polynomial argument at 2^-24) change no result: against a build generated
 * without them it printed 0 at 512 and 128 bits, against main's SVML log1p 106,463,507 (kernel/ELEMENTWISE-NOTES.md).
 * Not part of the build. Usage (JDK 25; add -XX:MaxVectorSize=16 for 128-bit vectors):
 * javac -d /tmp/bc SoftplusBitCompare.java &&
 * java --add-modules jdk.incubator.vector -cp /tmp/bc SoftplusBitCompare CLASSES_A CLASSES_B
 */
public class SoftplusBitCompare {
    public static void main(String[] args) throws Exception {
        Method a = forward(args[0]), b = forward(args[1]);
        Object softplusA = enumValue(a), softplusB = enumValue(b);
        int chunk = 1 << 20;
        float[] z = new float[chunk], ya = new float[chunk], yb = new float[chunk];
        long diff = 0, nan = 0;
        for (long start = 0; start < (1L << 32); start += chunk) {
            for (int i = 0; i < chunk; i++) {
                z[i] = Float.intBitsToFloat((int) (start + i));
            }
            a.invoke(null, softplusA, 0f, chunk, z, 0, ya, 0);
            b.invoke(null, softplusB, 0f, chunk, z, 0, yb, 0);
            for (int i = 0; i < chunk; i++) {
                if (Float.isNaN(ya[i]) && Float.isNaN(yb[i])) {
                    nan++;
                } else if (Float.floatToRawIntBits(ya[i]) != Float.floatToRawIntBits(yb[i])) {
                    if (diff++ < 10) {
                        System.out.println("z = " + z[i] + ": " + ya[i] + " vs " + yb[i]);
                    }
                }
            }
        }
        System.out.println("differing results: " + diff + " (both NaN: " + nan + ")");
    }

    static Method forward(String classes) throws Exception {
        ClassLoader l = new URLClassLoader(new URL[]{Path.of(classes).toUri().toURL()}, null);
        Class<?> k = Class.forName("dev.lanewise.kernel.vector.elementwise.ActivationKernels", true, l);
        Class<?> fn = Class.forName("dev.lanewise.kernel.Activation$Function", true, l);
        return k.getMethod("forward", fn, float.class, int.class, float[].class, int.class, float[].class, int.class);
    }

    static Object enumValue(Method m) {
        for (Object c : m.getParameterTypes()[0].getEnumConstants()) {
            if (c.toString().equals("SOFTPLUS")) {
                return c;
            }
        }
        throw new IllegalStateException();
    }
}
