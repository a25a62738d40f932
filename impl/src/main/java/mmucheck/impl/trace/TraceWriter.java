package mmucheck.impl.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import mmucheck.impl.mm.Observation;
import mmucheck.impl.mm.SpecMapping;
import mmucheck.impl.sched.Step;

/**
 * Writes a log in the format of docs/trace-format.md (version 1) with Jackson's streaming
 * generator: the header, the initial state, one line per step with the state after it (every
 * variable, or in partial mode the ones the step changed), and the end line.
 */
public final class TraceWriter implements AutoCloseable {
    public static final String IMPL = "mmucheck-impl 0.1.0";
    private static final JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactoryBuilder().rootValueSeparator((String) null).build();

    private final JsonGenerator g;
    private final SpecMapping mapping;
    private final boolean partial;
    private final String[] last;
    private final StringWriter buf = new StringWriter();
    private final JsonGenerator bufGen;

    public TraceWriter(OutputStream out, SpecMapping mapping, boolean partial) {
        try {
            this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
            this.g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            this.bufGen = JSON.createGenerator(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.mapping = mapping;
        this.partial = partial;
        this.last = new String[SpecMapping.VARIABLES.size()];
    }

    public void header(Map<String, ?> constants, long seed, String strategy) {
        try {
            g.writeStartObject();
            g.writeStringField("format", "mmucheck-trace");
            g.writeNumberField("version", 1);
            g.writeStringField("spec", "MMU");
            g.writeObjectFieldStart("constants");
            for (Map.Entry<String, ?> e : constants.entrySet()) {
                if (e.getValue() instanceof Number n) g.writeNumberField(e.getKey(), n.longValue());
                else g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
            }
            g.writeEndObject();
            g.writeStringField("mode", partial ? "partial" : "full");
            g.writeNumberField("seed", seed);
            g.writeStringField("strategy", strategy);
            g.writeStringField("impl", IMPL);
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The initial state: always every variable. */
    public void init() {
        try {
            g.writeStartObject();
            g.writeNumberField("seq", 0);
            g.writeStringField("action", "Init");
            g.writeObjectFieldStart("state");
            for (int i = 0; i < last.length; i++) {
                g.writeFieldName(SpecMapping.name(i));
                if (partial) {
                    last[i] = render(i);
                    g.writeRawValue(last[i]);
                } else {
                    mapping.write(i, g);
                }
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One transition, at its linearisation point (the stepping agent still holds the baton). */
    public void step(long seq, Step s) {
        try {
            g.writeStartObject();
            g.writeNumberField("seq", seq);
            g.writeStringField("agent", s.agent());
            g.writeStringField("action", s.action());
            g.writeObjectFieldStart("args");
            g.writeStringField(s.param(), s.agent());
            if (s.hardware()) g.writeNumberField("v", s.va());
            g.writeEndObject();
            g.writeObjectFieldStart("state");
            boolean changed = false;
            for (int i = 0; i < last.length; i++) {
                if (partial) {
                    String now = render(i);
                    if (!now.equals(last[i])) {
                        last[i] = now;
                        changed = true;
                        g.writeFieldName(SpecMapping.name(i));
                        g.writeRawValue(now);
                    }
                } else {
                    g.writeFieldName(SpecMapping.name(i));
                    mapping.write(i, g);
                }
            }
            g.writeEndObject();
            if (partial && !changed) g.writeBooleanField("stutter", true);
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end line: completed, failed (the watch saw something) or aborted (with the reason). */
    public void end(String end, long steps, List<Observation> observed, String reason) {
        try {
            g.writeStartObject();
            g.writeStringField("end", end);
            g.writeNumberField("steps", steps);
            g.writeArrayFieldStart("observed");
            for (Observation o : observed) {
                g.writeStartObject();
                g.writeStringField("kind", o.kind());
                g.writeStringField("agent", o.agent());
                g.writeNumberField("va", o.va());
                g.writeNumberField("frame", o.frame());
                g.writeNumberField("seq", o.seq());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (reason != null) g.writeStringField("reason", reason);
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String render(int i) throws IOException {
        buf.getBuffer().setLength(0);
        mapping.write(i, bufGen);
        bufGen.flush();
        return buf.toString();
    }

    @Override
    public void close() {
        try {
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
