package mmucheck.refinement.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PropertyMeaningTest {
    private static final Path TOY = Path.of("src/test/resources/toyroot/spec/tla");

    @Test
    void theCommentAboveTheDefinition() {
        assertEquals("With every CPU outside the lock, some TLB still maps a zapped PTE: a later store lands in a freed"
                + " frame.", PropertyMeaning.of(TOY, "NoStaleAfterReturn"));
        assertEquals("Two CPUs inside the lock at once: the PTE could be zapped twice.", PropertyMeaning.of(TOY, "Mutex"));
        assertNull(PropertyMeaning.of(TOY, "Done"));
        assertNull(PropertyMeaning.of(TOY, "NoSuchThing"));
    }
}
