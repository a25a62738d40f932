package mmucheck.cli;

import org.apache.commons.cli.CommandLine;

/** A bounded integer option of a commons-cli command line, as a usage error when it is not one. */
final class Options2 {
    private Options2() {}

    static int intOption(CommandLine cl, String opt, int dflt, int min, int max) throws UsageException {
        if (!cl.hasOption(opt)) return dflt;
        try {
            int n = Integer.parseInt(cl.getOptionValue(opt));
            if (n < min || n > max) throw new UsageException("--" + opt + " must be between " + min + " and " + max);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + opt + " needs a number, not '" + cl.getOptionValue(opt) + "'");
        }
    }
}
