package dev.sealgate.cluster;

class MemoryCountersTest implements SharedCountersContract {

    private final MemoryCounters counters = new MemoryCounters();

    @Override
    public SharedCounters node() {
        return counters;
    }
}
