package dev.sealgate.web;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound before any test of the service runs, so every service test fails when
 * blocking work (JDBC, file I/O, sleeps) runs on a Netty event-loop or Reactor parallel thread.
 */
public class BlockHoundSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        // install(...) also loads the integrations on the class path (Reactor's marks its
        // non-blocking threads); BlockHound.builder() alone would not.
        BlockHound.install(builder -> builder
                // Jackson builds a deserializer once per type under a short ReentrantLock; a second
                // request racing the first parks for that moment. Not I/O, and not ours to move.
                .allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer")
                // the same once per type for serializers of the Jackson 2 encoder, whose Kotlin module
                // (on the class path through the test OIDC server) reads Kotlin metadata under a lock
                .allowBlockingCallsInside("com.fasterxml.jackson.databind.SerializerProvider", "_createAndCacheUntypedSerializer")
                // springdoc builds the API description once, at start (pre-loading-enabled); a
                // request for /v3/api-docs that arrives during that build waits for its lock.
                .allowBlockingCallsInside("org.springdoc.api.AbstractOpenApiResource", "getOpenApi"));
    }
}
