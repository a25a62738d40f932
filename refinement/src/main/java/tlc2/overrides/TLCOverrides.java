package tlc2.overrides;

import mmucheck.refinement.tlc.TraceLogOperator;

/**
 * TLC looks up this class by name to find Java operator overrides. It serves the generated
 * trace spec of {@code mmucheck refine --via-tlc}, which reads the NDJSON log in Java because
 * this TLC build has no Json module. Other specs never mention TraceLog, so it is inert there.
 */
public class TLCOverrides implements ITLCOverrides {
    @SuppressWarnings("rawtypes")
    @Override
    public Class[] get() {
        return new Class[] {TraceLogOperator.class};
    }
}
