package mmucheck.refinement.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tlc2.overrides.TLAPlusOperator;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.UniqueString;

/**
 * {@code TraceLog(path)} of the generated TraceCheck module: the log's state lines as a
 * sequence of records [action, args, state, stutter]. Runs inside TLC's JVM, where only the
 * JDK and TLC exist, so it carries its own small JSON parser.
 */
public final class TraceLogOperator {
    private TraceLogOperator() {}

    @TLAPlusOperator(identifier = "TraceLog", module = "TraceCheck", warn = false)
    public static Value traceLog(StringValue path) throws IOException {
        List<Value> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of(path.getVal().toString()), StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                Json j = new Json(line, n);
                Value v = j.value();
                if (!(v instanceof RecordValue rec)) {
                    throw new IllegalArgumentException("line " + n + ": not a JSON object");
                }
                if (rec.select(new StringValue("format")) != null || rec.select(new StringValue("end")) != null) {
                    continue;
                }
                Value action = rec.select(new StringValue("action"));
                Value args = rec.select(new StringValue("args"));
                Value state = rec.select(new StringValue("state"));
                Value stutter = rec.select(new StringValue("stutter"));
                UniqueString[] names = {UniqueString.uniqueStringOf("action"), UniqueString.uniqueStringOf("args"),
                        UniqueString.uniqueStringOf("state"), UniqueString.uniqueStringOf("stutter")};
                Value[] vals = {action, args == null ? new RecordValue(new UniqueString[0], new Value[0], true) : args,
                        state, stutter == null ? BoolValue.ValFalse : stutter};
                lines.add(new RecordValue(names, vals, false).normalize());
            }
        }
        return new TupleValue(lines.toArray(new Value[0]));
    }

    /** A minimal JSON reader producing TLC values (ITF tags as in docs/trace-format.md). */
    private static final class Json {
        private final String s;
        private final int line;
        private int i;

        Json(String s, int line) {
            this.s = s;
            this.line = line;
        }

        private IllegalArgumentException bad(String what) {
            return new IllegalArgumentException("line " + line + ", column " + (i + 1) + ": " + what);
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private void expect(char c) {
            ws();
            if (i >= s.length() || s.charAt(i) != c) {
                throw bad("expected '" + c + "'");
            }
            i++;
        }

        Value value() {
            ws();
            if (i >= s.length()) {
                throw bad("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                return object();
            }
            if (c == '[') {
                i++;
                List<Value> l = new ArrayList<>();
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return new TupleValue(new Value[0]);
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(']');
                        return new TupleValue(l.toArray(new Value[0]));
                    }
                }
            }
            if (c == '"') {
                return new StringValue(string());
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return BoolValue.ValTrue;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return BoolValue.ValFalse;
            }
            int start = i;
            if (c == '-') {
                i++;
            }
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw bad("unexpected character");
            }
            return IntValue.gen(Integer.parseInt(s.substring(start, i)));
        }

        private Value object() {
            expect('{');
            List<String> keys = new ArrayList<>();
            List<Value> vals = new ArrayList<>();
            ws();
            if (s.charAt(i) == '}') {
                i++;
                return new RecordValue(new UniqueString[0], new Value[0], true);
            }
            while (true) {
                ws();
                String k = string();
                expect(':');
                if (keys.isEmpty() && k.startsWith("#")) {
                    Value v = tagged(k);
                    expect('}');
                    return v;
                }
                keys.add(k);
                vals.add(value());
                ws();
                if (s.charAt(i) == ',') {
                    i++;
                } else {
                    expect('}');
                    break;
                }
            }
            UniqueString[] names = new UniqueString[keys.size()];
            for (int j = 0; j < names.length; j++) {
                names[j] = UniqueString.uniqueStringOf(keys.get(j));
            }
            return new RecordValue(names, vals.toArray(new Value[0]), false).normalize();
        }

        private Value tagged(String tag) {
            switch (tag) {
                case "#set": {
                    TupleValue t = (TupleValue) value();
                    Value[] el = new Value[t.size()];
                    for (int j = 0; j < el.length; j++) {
                        el[j] = (Value) t.getElem(j);
                    }
                    return new SetEnumValue(el, false).normalize();
                }
                case "#map": {
                    TupleValue t = (TupleValue) value();
                    Value[] dom = new Value[t.size()];
                    Value[] rng = new Value[t.size()];
                    for (int j = 0; j < dom.length; j++) {
                        TupleValue kv = (TupleValue) t.getElem(j);
                        dom[j] = (Value) kv.getElem(0);
                        rng[j] = (Value) kv.getElem(1);
                    }
                    return new FcnRcdValue(dom, rng, false).normalize();
                }
                case "#mv":
                    ws();
                    return ModelValue.make(string());
                case "#bigint":
                    ws();
                    return IntValue.gen(Integer.parseInt(string()));
                default:
                    throw bad("unknown tag " + tag);
            }
        }

        private String string() {
            ws();
            if (i >= s.length() || s.charAt(i) != '"') {
                throw bad("expected a string");
            }
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw bad("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }
    }
}
