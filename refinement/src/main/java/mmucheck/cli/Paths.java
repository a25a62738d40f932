package mmucheck.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and TLC are: the system properties the launcher and surefire set. */
final class Paths {
    private Paths() {}

    static Path root() throws UsageException {
        String r = System.getProperty("mmucheck.root");
        if (r == null || !Files.isDirectory(Path.of(r))) {
            throw new UsageException("system property mmucheck.root is not set to the repository (use ./mmucheck)");
        }
        return Path.of(r).toAbsolutePath().normalize();
    }

    static Path tlcJar() throws UsageException {
        String j = System.getProperty("mmucheck.tlc.jar");
        if (j == null || !Files.isRegularFile(Path.of(j))) {
            throw new UsageException("system property mmucheck.tlc.jar does not name TLC's jar (use ./mmucheck)");
        }
        return Path.of(j);
    }
}
