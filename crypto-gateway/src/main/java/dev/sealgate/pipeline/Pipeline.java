package dev.sealgate.pipeline;

import java.io.IOException;
import java.util.List;

/** Runs the {@link PipelineStep}s in order; with none, a message passes through unchanged. */
public final class Pipeline {

    private final List<PipelineStep> steps;

    public Pipeline(List<PipelineStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public void run(PipelineMessage message) throws IOException {
        for (PipelineStep step : steps) {
            step.process(message);
        }
    }

    public int size() {
        return steps.size();
    }
}
