package mmucheck.refinement.tlc;

import java.util.Map;
import java.util.Set;
import tlc2.tool.Action;

/**
 * One conjunct of TypeOK or of an invariant ({@code owner}), with the variables it reads
 * ({@code deps}, null: all; {@code depMask}: the same as bits, see ConjunctMemo) and its tag in
 * TrueFacts. {@code witnesses}: for a conjunct {@code P => ENABLED B} or {@code ENABLED B},
 * the keys of the actions that imply B ({@link EnabledWitnesses}); null for any other
 * conjunct. Such a conjunct is not evaluated on a state the fast path reaches: a later step
 * of a witness action settles it (see {@link EnabledSettlement}), else it is evaluated.
 * {@code witnessedBy}: per Action, whether it is one of the witnesses.
 */
record Conjunct(String owner, Action action, int[] deps, long depMask, int tag, Set<String> witnesses,
        Map<Action, Boolean> witnessedBy) {}
