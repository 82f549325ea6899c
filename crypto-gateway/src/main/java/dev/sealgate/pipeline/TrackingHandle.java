package dev.sealgate.pipeline;

import java.util.ArrayList;
import java.util.List;

/** What pipeline steps record in the message's tracking record: operations and their results. */
public final class TrackingHandle {

    /**
     * @param operation what was done, e.g. "sign", "encrypt for bob@partner.example"
     * @param result    how it ended, e.g. "ok", "no certificate for bob@partner.example"
     */
    public record Operation(String operation, String result) {
    }

    private final List<Operation> operations = new ArrayList<>();

    public void operation(String operation, String result) {
        operations.add(new Operation(operation, result));
    }

    public List<Operation> operations() {
        return List.copyOf(operations);
    }
}
