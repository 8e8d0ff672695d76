import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A/B of one workload between two builds of the engine in one JVM: each build's org.lra classes load in their
 * own child-first class loader (ND4J and the natives are shared from the class path), and the two alternate
 * round by round on the same inputs. Prints the median thread-CPU time per call of each and the ratio.
 *
 * Usage (scripts/bench/ab.sh does this): java -cp lra.jar:DRIVER_DIR AbRun OLD_CLASSES NEW_CLASSES DRIVER_DIR KERNEL [ROUNDS]
 */
public final class AbRun {
    static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("org.lra.") || name.equals("AbDriver")) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        c = findClass(name);
                    }
                    if (resolve) {
                        resolveClass(c);
                    }
                    return c;
                }
                return super.loadClass(name, resolve);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String kernel = args[3];
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 15;
        Path driver = Path.of(args[2]);
        Runnable[] work = new Runnable[2];
        for (int v = 0; v < 2; v++) {
            URL[] urls = {driver.toUri().toURL(), Path.of(args[v]).toUri().toURL()};
            ClassLoader loader = new ChildFirst(urls, AbRun.class.getClassLoader());
            work[v] = (Runnable) loader.loadClass("AbDriver").getMethod("make", String.class).invoke(null, kernel);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean step = kernel.startsWith("step");
        int calls = step ? 1 : 5;
        for (int w = 0; w < (step ? 3 : 20); w++) { // JIT warm-up of both
            work[0].run();
            work[1].run();
        }
        List<Double>[] times = new List[] {new ArrayList<Double>(), new ArrayList<Double>()};
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < 2; v++) {
                int which = (r % 2 == 0) ? v : 1 - v;
                long c0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    work[which].run();
                }
                times[which].add((mx.getCurrentThreadCpuTime() - c0) / 1e6 / calls);
            }
        }
        double a = median(times[0]);
        double b = median(times[1]);
        System.out.printf("%-12s old %8.3f ms   new %8.3f ms   new/old %.3f   speed-up %.2fx   (median thread-CPU ms per call, %d rounds)%n",
                kernel, a, b, b / a, a / b, rounds);
        System.exit(0);
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
