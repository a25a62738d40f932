package mmucheck.refinement.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads TLC and the bridge into a fresh class loader whose parent is the platform loader, so
 * TLC's process-global statics (variables, UniqueString table, model values, ToolIO) belong to
 * this spec alone, and gives it a private java.io.tmpdir for the standard modules TLC unpacks.
 */
public final class IsolatedTlc {
    private static final String BRIDGE = "mmucheck.refinement.tlc.TlcBridge";
    /** java.io.tmpdir is process-global: set it only while TLC's classes initialise. */
    private static final Object TMPDIR_LOCK = new Object();

    private IsolatedTlc() {}

    /** The TLC jar named by -Dmmucheck.tlc.jar, or null. */
    public static Path tlcJar() {
        String p = System.getProperty("mmucheck.tlc.jar");
        return p == null || p.isBlank() || !Files.isRegularFile(Path.of(p)) ? null : Path.of(p);
    }

    /**
     * jackson-core's jar (or class directory): the bridge decodes log lines straight into TLC
     * values with Jackson's streaming parser, inside the isolated loader.
     */
    static Path jacksonCore() {
        try {
            return Path.of(com.fasterxml.jackson.core.JsonFactory.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate jackson-core", e);
        }
    }

    /** Where this module's own classes live (a directory in tests, the jar when installed). */
    public static Path ownCode() {
        try {
            return Path.of(IsolatedTlc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate mmucheck's classes", e);
        }
    }

    /**
     * A new evaluator in its own loader, working in {@code workDir} (which it owns and deletes
     * on close). Throws IllegalStateException when TLC's jar is missing.
     */
    public static Evaluator open(Path workDir) {
        Path jar = tlcJar();
        if (jar == null) {
            throw new IllegalStateException("TLC's jar is not set (-Dmmucheck.tlc.jar); run through ./mmucheck");
        }
        URLClassLoader loader;
        Object bridge;
        try {
            loader = new HidingLoader("tlc-" + workDir.getFileName(),
                    new URL[] {jar.toUri().toURL(), ownCode().toUri().toURL(), jacksonCore().toUri().toURL()});
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        Path tmp = workDir.resolve("tmp");
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (TMPDIR_LOCK) {
            String saved = System.getProperty("java.io.tmpdir");
            System.setProperty("java.io.tmpdir", tmp.toString());
            try {
                // Initialise the class that captures java.io.tmpdir now, inside the lock.
                Class.forName("util.FilenameToStream", true, loader);
                bridge = Class.forName(BRIDGE, true, loader).getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot load TLC bridge: " + e, e);
            } finally {
                System.setProperty("java.io.tmpdir", saved);
            }
        }
        Map<String, Method> byName = new HashMap<>();
        for (Method m : bridge.getClass().getMethods()) {
            byName.put(m.getName() + "/" + m.getParameterCount(), m);
        }
        // Keyed by the interface's Method: no string built per call (fastStep runs per line).
        Map<Method, Method> methods = new java.util.concurrent.ConcurrentHashMap<>();
        for (Method m : Evaluator.class.getMethods()) {
            Method target = byName.get(m.getName() + "/" + m.getParameterCount());
            if (target != null) {
                methods.put(m, target);
            }
        }
        Object target = bridge;
        return (Evaluator) Proxy.newProxyInstance(Evaluator.class.getClassLoader(), new Class<?>[] {Evaluator.class},
                (proxy, method, args) -> {
                    int n = args == null ? 0 : args.length;
                    if (method.getName().equals("close") && n == 0) {
                        closeQuietly(loader, workDir);
                        return null;
                    }
                    Method m = methods.get(method);
                    if (m == null) {
                        if (method.getDeclaringClass() == Object.class) {
                            return method.invoke(target, args);
                        }
                        throw new IllegalStateException("bridge lacks " + method.getName());
                    }
                    try {
                        return m.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * Hides the --via-tlc operator override (tlc2.overrides.TLCOverrides, which lives in
     * mmucheck's jar for the forked TLC) from the in-process TLC: TLC would find it and fail to
     * load it through a loader parented by the system loader.
     */
    private static final class HidingLoader extends URLClassLoader {
        private static final String HIDDEN = "tlc2/overrides/TLCOverrides";

        HidingLoader(String name, URL[] urls) {
            super(name, urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        public URL findResource(String name) {
            return name.startsWith(HIDDEN) ? null : super.findResource(name);
        }

        @Override
        public java.util.Enumeration<URL> findResources(String name) throws IOException {
            return name.startsWith(HIDDEN) ? java.util.Collections.emptyEnumeration() : super.findResources(name);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.replace('.', '/').equals(HIDDEN)) {
                throw new ClassNotFoundException(name);
            }
            return super.findClass(name);
        }
    }

    private static void closeQuietly(URLClassLoader loader, Path dir) {
        // The loader is not closed, only dropped: URLClassLoader.close() closes jar files that
        // the JDK's jar-URL cache shares with the other TLC loaders in this process (SANY reads
        // its standard modules through jar: URLs), which breaks a spec loading concurrently.
        deleteTree(dir);
    }

    /** Deletes a directory tree, ignoring failures (it is private scratch space). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch space; leftovers are harmless
        }
    }
}
