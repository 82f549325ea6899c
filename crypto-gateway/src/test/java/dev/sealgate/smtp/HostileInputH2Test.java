package dev.sealgate.smtp;

import java.nio.file.Path;

class HostileInputH2Test implements HostileInputContract {

    @Override
    public GatewayHarness.Builder gateway(Path dataDir) {
        return GatewayHarness.builder(dataDir);
    }
}
