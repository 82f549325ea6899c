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
        BlockHound.install();
    }
}
