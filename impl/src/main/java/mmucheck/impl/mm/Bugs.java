package mmucheck.impl.mm;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** An immutable set of injected bugs, passed with a run's configuration (no global switch). */
public final class Bugs {
    public static final Bugs NONE = new Bugs(EnumSet.noneOf(Bug.class));

    private final Set<Bug> set;

    private Bugs(EnumSet<Bug> s) { this.set = java.util.Collections.unmodifiableSet(s); }

    public static Bugs of(Bug... bs) {
        EnumSet<Bug> s = EnumSet.noneOf(Bug.class);
        for (Bug b : bs) s.add(b);
        return new Bugs(s);
    }

    public static Bugs of(Collection<Bug> bs) {
        return bs.isEmpty() ? NONE : new Bugs(EnumSet.copyOf(bs));
    }

    public boolean has(Bug b) { return set.contains(b); }

    public boolean isEmpty() { return set.isEmpty(); }

    public Set<Bug> asSet() { return set; }

    @Override
    public boolean equals(Object o) { return o instanceof Bugs b && b.set.equals(set); }

    @Override
    public int hashCode() { return set.hashCode(); }

    @Override
    public String toString() { return set.toString(); }
}
