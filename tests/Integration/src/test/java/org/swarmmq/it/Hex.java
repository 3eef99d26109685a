package org.swarmmq.it;

import java.util.HexFormat;

/** Packets written out as hex, the way they are quoted from a capture: "32 0A 00 03 31 31 30". */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String of(byte[] b) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(b);
    }
}
