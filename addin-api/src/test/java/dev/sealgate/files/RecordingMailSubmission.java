package dev.sealgate.files;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test double for the gateway's queue: keeps what it was given. */
public final class RecordingMailSubmission implements MailSubmission {

    private final List<OutgoingMail> submitted = new CopyOnWriteArrayList<>();

    @Override
    public void submit(OutgoingMail mail) {
        submitted.add(mail);
    }

    public List<OutgoingMail> submitted() {
        return submitted;
    }
}
