package mmucheck.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small {@code --key value} / {@code --flag} parser whose errors are one line. */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    static Args parse(String[] args, List<String> valued, List<String> flagNames) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (flagNames.contains(k)) {
                a.flags.add(k);
            } else if (valued.contains(k)) {
                if (i + 1 >= args.length) throw new UsageException(k + " needs a value");
                if (a.values.put(k, args[++i]) != null) throw new UsageException(k + " given twice");
            } else {
                throw new UsageException("unknown argument '" + k + "'");
            }
        }
        return a;
    }

    String get(String k) { return values.get(k); }

    String getOr(String k, String dflt) { return values.getOrDefault(k, dflt); }

    boolean has(String flag) { return flags.contains(flag); }

    String required(String k) throws UsageException {
        String v = values.get(k);
        if (v == null) throw new UsageException("missing " + k);
        return v;
    }

    long longValue(String k, long dflt) throws UsageException {
        String v = values.get(k);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(k + " wants a number, not '" + v + "'");
        }
    }
}
