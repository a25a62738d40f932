package mmucheck.spec.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItfTest {
    private static final ObjectMapper M = new ObjectMapper();

    private static String enc(String tla) throws Exception {
        return M.writeValueAsString(Itf.encode(TlaParser.parse(tla)));
    }

    private static TlaValue dec(String json) throws Exception {
        return Itf.decode(M.readTree(json), "v");
    }

    @Test
    void encodingFollowsTheTraceFormatTable() throws Exception {
        assertEquals("-3", enc("-3"));
        assertEquals("true", enc("TRUE"));
        assertEquals("\"a\\\"b\"", enc("\"a\\\"b\""));
        assertEquals("{\"present\":true,\"frame\":1}", enc("[present |-> TRUE, frame |-> 1]"));
        assertEquals("{\"cpu0\":[0,2]}", enc("(\"cpu0\" :> <<0, 2>>)"));
        assertEquals("[\"a\",\"b\"]", enc("(1 :> \"a\" @@ 2 :> \"b\")"));
        assertEquals("{\"#set\":[1,2]}", enc("{2, 1}"));
        assertEquals("{\"#map\":[[0,0],[1,1]]}", enc("(0 :> 0 @@ 1 :> 1)"));
        assertEquals("{\"#mv\":\"m1\"}", enc("m1"));
        assertEquals("[]", enc("<<>>"));
    }

    @Test
    void decodingAcceptsBigintAndNormalisesMaps() throws Exception {
        assertEquals(TlaValue.of(-12), dec("{\"#bigint\":\"-12\"}"));
        assertEquals(TlaParser.parse("<<\"a\", \"b\">>"), dec("{\"#map\":[[2,\"b\"],[1,\"a\"]]}"));
        assertEquals(TlaParser.parse("{1, 2}"), dec("{\"#set\":[2,1,2]}"));
        assertEquals(TlaParser.parse("<<1, 2>>"), dec("{\"#tup\":[1,2]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[pc |-> [cpu0 |-> \"start\"], tlb |-> [cpu0 |-> {<<1, 2>>}], ref |-> (0 :> 1 @@ 5 :> -2)]",
        "<<{}, <<>>, {m1, m2}, \"x\\ny\">>",
        "(<<1, 2>> :> TRUE @@ <<2, 1>> :> FALSE)",
    })
    void roundTrip(String tla) throws Exception {
        TlaValue v = TlaParser.parse(tla);
        JsonNode j = Itf.encode(v);
        assertEquals(v, Itf.decode(M.readTree(M.writeValueAsString(j)), "v"));
    }

    @Test
    void badShapesAreOneLineErrorsWithThePath() {
        assertEquals("v.a: not an integer: 1.5",
                assertThrows(TlaParseException.class, () -> dec("{\"a\":1.5}")).getMessage());
        assertEquals("v.#map[0]: not a [key, value] pair",
                assertThrows(TlaParseException.class, () -> dec("{\"#map\":[[1]]}")).getMessage());
        assertEquals("v: bad #bigint \"x\"",
                assertThrows(TlaParseException.class, () -> dec("{\"#bigint\":\"x\"}")).getMessage());
        assertEquals("v: unknown tag '#foo'",
                assertThrows(TlaParseException.class, () -> dec("{\"#foo\":1}")).getMessage());
        assertEquals("v[2]: missing value",
                assertThrows(TlaParseException.class, () -> dec("[1,null]")).getMessage());
    }
}
