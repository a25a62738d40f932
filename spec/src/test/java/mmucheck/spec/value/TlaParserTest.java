package mmucheck.spec.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlaParserTest {

    private static TlaValue p(String s) throws TlaParseException {
        return TlaParser.parse(s);
    }

    @Test
    void scalars() throws Exception {
        assertEquals(TlaValue.of(42), p("42"));
        assertEquals(TlaValue.of(-7), p(" -7 "));
        assertEquals(TlaValue.of(true), p("TRUE"));
        assertEquals(TlaValue.of(false), p("FALSE"));
        assertEquals(TlaValue.of("a \"q\" \\ b\nc\td"), p("\"a \\\"q\\\" \\\\ b\\nc\\td\""));
        assertEquals(new TlaValue.ModelValue("cpu0"), p("cpu0"));
    }

    @Test
    void recordsKeepFieldOrderAndNest() throws Exception {
        TlaValue v = p("[present |-> TRUE, frame |-> 1, owner |-> \"mm\", tlb |-> <<0, -1>>]");
        TlaValue.Rec r = assertInstanceOf(TlaValue.Rec.class, v);
        assertEquals(List.of("present", "frame", "owner", "tlb"), List.copyOf(r.fields().keySet()));
        assertEquals(TlaValue.tuple(TlaValue.of(0), TlaValue.of(-1)), r.get("tlb"));
    }

    @Test
    void setsAreCanonical() throws Exception {
        assertEquals(p("{3, 1, 2}"), p("{1, 2, 3, 1}"));
        assertEquals(new TlaValue.Set(List.of()), p("{}"));
        assertEquals("{1, 2, 3}", p("{3, 2, 1}").toTla());
    }

    @Test
    void functionLiteralsAreNormalisedLikeTlcPrintsThem() throws Exception {
        // domain 1..n: TLC prints a tuple, and the two spellings are one value
        assertEquals(p("<<\"a\", \"b\">>"), p("(1 :> \"a\" @@ 2 :> \"b\")"));
        // string domain: a record
        assertEquals(p("[x |-> 1, y |-> 2]"), p("(\"x\" :> 1 @@ \"y\" :> 2)"));
        // anything else stays a function, printed in canonical domain order
        TlaValue f = p("(2 :> 1 @@ 0 :> 0 @@ 1 :> 1)");
        assertInstanceOf(TlaValue.Fun.class, f);
        assertEquals("(0 :> 0 @@ 1 :> 1 @@ 2 :> 1)", f.toTla());
        assertEquals(new TlaValue.Seq(List.of()), p("<<>>"));
    }

    @Test
    void multiLineStateAsTlcPrintsIt() throws Exception {
        String text = """
                /\\ pending = -1
                /\\ lock = "cpu0"
                /\\ freed = {}
                /\\ tlb = [cpu0 |-> <<1, 0>>, cpu1 |-> <<0, 0>>]
                /\\ refcount = (0 :> 0 @@ 1 :> 0 @@ 2 :> 1)
                /\\ pte = << [present |-> FALSE, frame |-> 0, rw |-> FALSE],
                   [present |-> TRUE, frame |-> 2, rw |-> FALSE] >>
                /\\ note = "say \\"hi\\""
                """;
        Map<String, TlaValue> s = TlaParser.parseState(text);
        assertEquals(List.of("pending", "lock", "freed", "tlb", "refcount", "pte", "note"), List.copyOf(s.keySet()));
        assertEquals(TlaValue.of(-1), s.get("pending"));
        assertEquals(TlaValue.of("say \"hi\""), s.get("note"));
        assertEquals(2, ((TlaValue.Seq) s.get("pte")).elements().size());
        assertEquals(Map.of("x", TlaValue.of(2)), TlaParser.parseState("x = 2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[a |-> 1, b |-> \"x\", c |-> {<<1, TRUE>>, <<2, FALSE>>}]",
        "<<[k |-> (3 :> {} @@ 5 :> {1})], -12, \"\\\\n\\\"\">>",
        "{\"cpu0\", \"cpu1\", m1}",
        "(<<1, 2>> :> 1 @@ <<2, 1>> :> 2)",
        "[cpu0 |-> [v1 |-> 0], cpu1 |-> [v1 |-> 3]]",
    })
    void printThenParseIsIdentity(String text) throws Exception {
        TlaValue v = p(text);
        assertEquals(v, p(v.toTla()));
        assertEquals(v.toTla(), p(v.toTla()).toTla());
    }

    @Test
    void functionFactoryNormalises() {
        Map<TlaValue, TlaValue> g = new LinkedHashMap<>();
        g.put(TlaValue.of(2), TlaValue.of("b"));
        g.put(TlaValue.of(1), TlaValue.of("a"));
        assertEquals(TlaValue.tuple(TlaValue.of("a"), TlaValue.of("b")), TlaValue.function(g));
    }

    @Test
    void errorsAreOneLineWithPlace() {
        assertEquals("line 1, col 13: expected '|->' but found '='",
                assertThrows(TlaParseException.class, () -> p("[a |-> 1, b = 2]")).getMessage());
        assertEquals("line 2, col 3: expected a value but found ','",
                assertThrows(TlaParseException.class, () -> p("<<1,\n  , 2>>")).getMessage());
        assertEquals("line 1, col 1: unterminated string",
                assertThrows(TlaParseException.class, () -> p("\"abc")).getMessage());
        assertEquals("line 1, col 3: unexpected text after the value",
                assertThrows(TlaParseException.class, () -> p("1 2")).getMessage());
        assertEquals("line 1, col 1: expected digits after '-'",
                assertThrows(TlaParseException.class, () -> p("-x")).getMessage());
        assertEquals("line 1, col 2: expected a value but found end of text",
                assertThrows(TlaParseException.class, () -> p("{")).getMessage());
        assertEquals("line 1, col 3: unknown escape '\\q' in string",
                assertThrows(TlaParseException.class, () -> p("\"a\\q\"")).getMessage());
    }
}
