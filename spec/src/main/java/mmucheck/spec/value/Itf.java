package mmucheck.spec.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value encoding of docs/trace-format.md (after Apalache's ITF): integers as JSON numbers
 * (reading {@code {"#bigint":"-12"}} too), booleans, strings, records and string-domain
 * functions as objects, sequences and {@code 1..n}-domain functions as arrays, sets as
 * {@code {"#set":[..]}}, other functions as {@code {"#map":[[k,v],..]}}, model values as
 * {@code {"#mv":"name"}}.
 */
public final class Itf {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Itf() {}

    public static JsonNode encode(TlaValue v) {
        if (v instanceof TlaValue.Int i) {
            return F.numberNode(i.value());
        } else if (v instanceof TlaValue.Bool b) {
            return F.booleanNode(b.value());
        } else if (v instanceof TlaValue.Str s) {
            return F.textNode(s.value());
        } else if (v instanceof TlaValue.ModelValue m) {
            return F.objectNode().put("#mv", m.name());
        } else if (v instanceof TlaValue.Set s) {
            ArrayNode a = F.arrayNode();
            s.elements().forEach(e -> a.add(encode(e)));
            ObjectNode o = F.objectNode();
            o.set("#set", a);
            return o;
        } else if (v instanceof TlaValue.Seq s) {
            ArrayNode a = F.arrayNode();
            s.elements().forEach(e -> a.add(encode(e)));
            return a;
        } else if (v instanceof TlaValue.Rec r) {
            ObjectNode o = F.objectNode();
            r.fields().forEach((k, x) -> o.set(k, encode(x)));
            return o;
        } else {
            ArrayNode pairs = F.arrayNode();
            ((TlaValue.Fun) v).map().forEach((k, x) -> pairs.add(F.arrayNode().add(encode(k)).add(encode(x))));
            ObjectNode o = F.objectNode();
            o.set("#map", pairs);
            return o;
        }
    }

    /** Decodes one value; {@code where} names the place for the error message (e.g. "state.pte"). */
    public static TlaValue decode(JsonNode n, String where) throws TlaParseException {
        if (n == null || n.isNull() || n.isMissingNode()) {
            throw new TlaParseException(where + ": missing value");
        }
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                throw new TlaParseException(where + ": integer out of range");
            }
            return new TlaValue.Int(n.longValue());
        }
        if (n.isNumber()) {
            throw new TlaParseException(where + ": not an integer: " + n);
        }
        if (n.isBoolean()) {
            return new TlaValue.Bool(n.booleanValue());
        }
        if (n.isTextual()) {
            return new TlaValue.Str(n.textValue());
        }
        if (n.isArray()) {
            List<TlaValue> elems = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                elems.add(decode(n.get(i), where + "[" + (i + 1) + "]"));
            }
            return new TlaValue.Seq(elems);
        }
        if (!n.isObject()) {
            throw new TlaParseException(where + ": not a value: " + n);
        }
        if (n.size() == 1) {
            String key = n.fieldNames().next();
            JsonNode x = n.get(key);
            switch (key) {
                case "#bigint" -> {
                    if (!x.isTextual()) {
                        throw new TlaParseException(where + ": #bigint must be a string");
                    }
                    try {
                        return new TlaValue.Int(new BigInteger(x.textValue()).longValueExact());
                    } catch (NumberFormatException | ArithmeticException e) {
                        throw new TlaParseException(where + ": bad #bigint \"" + x.textValue() + "\"");
                    }
                }
                case "#set" -> {
                    if (!x.isArray()) {
                        throw new TlaParseException(where + ": #set must be an array");
                    }
                    List<TlaValue> elems = new ArrayList<>();
                    for (int i = 0; i < x.size(); i++) {
                        elems.add(decode(x.get(i), where + ".#set[" + i + "]"));
                    }
                    return new TlaValue.Set(elems);
                }
                case "#tup" -> { // ITF's explicit tuple
                    if (!x.isArray()) {
                        throw new TlaParseException(where + ": #tup must be an array");
                    }
                    return decode(x, where);
                }
                case "#map" -> {
                    if (!x.isArray()) {
                        throw new TlaParseException(where + ": #map must be an array of [key, value] pairs");
                    }
                    Map<TlaValue, TlaValue> g = new LinkedHashMap<>();
                    for (int i = 0; i < x.size(); i++) {
                        JsonNode p = x.get(i);
                        if (!p.isArray() || p.size() != 2) {
                            throw new TlaParseException(where + ".#map[" + i + "]: not a [key, value] pair");
                        }
                        TlaValue k = decode(p.get(0), where + ".#map[" + i + "][0]");
                        if (g.put(k, decode(p.get(1), where + ".#map[" + i + "][1]")) != null) {
                            throw new TlaParseException(where + ".#map: key " + k.toTla() + " given twice");
                        }
                    }
                    return TlaValue.function(g);
                }
                case "#mv" -> {
                    if (!x.isTextual()) {
                        throw new TlaParseException(where + ": #mv must be a string");
                    }
                    return new TlaValue.ModelValue(x.textValue());
                }
                default -> {
                    if (key.startsWith("#")) {
                        throw new TlaParseException(where + ": unknown tag '" + key + "'");
                    }
                }
            }
        }
        Map<TlaValue, TlaValue> g = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            g.put(new TlaValue.Str(e.getKey()), decode(e.getValue(), where + "." + e.getKey()));
        }
        return TlaValue.function(g);
    }
}
