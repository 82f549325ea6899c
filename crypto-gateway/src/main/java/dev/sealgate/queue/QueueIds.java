package dev.sealgate.queue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Queue ids: sortable by time of reception, unique across nodes without coordination. */
public final class QueueIds {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private QueueIds() {
    }

    public static String next(Clock clock) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(random);
    }
}
