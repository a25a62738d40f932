package mmucheck.refinement.tlc;

/** Scanning JSON bytes: white space, literals and plain strings, within b[.., end). */
final class JsonBytes {
    private JsonBytes() {}

    /** The first index from i that is not JSON white space (or end). */
    static int ws(byte[] b, int i, int end) {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                break;
            }
            i++;
        }
        return i;
    }

    /** Whether b[i..] starts with the ASCII literal {@code lit} before end. */
    static boolean startsWith(byte[] b, int i, String lit, int end) {
        if (i + lit.length() > end) {
            return false;
        }
        for (int j = 0; j < lit.length(); j++) {
            if (b[i + j] != lit.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A string of printable ASCII without escapes starting at i (a quote): the index of its
     * closing quote, or -1 (anything else is the ordinary reader's to decode).
     */
    static int plainString(byte[] b, int i, int end) {
        if (i >= end || b[i] != '"') {
            return -1;
        }
        for (int j = i + 1; j < end; j++) {
            byte c = b[j];
            if (c == '"') {
                return j;
            }
            if (c == '\\' || c < 0x20) { // bytes >= 0x80 are negative: not plain ASCII
                return -1;
            }
        }
        return -1;
    }
}
