package dev.sealgate.files;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test double for the gateway's queue: keeps what it was given. */
public final class RecordingMailSubmission implements MailSubmission {

    private final List<OutgoingMail> submitted = new CopyOnWriteArrayList<>();

    @Override
    public boolean submit(OutgoingMail mail) {
        submitted.add(mail);
        return true;
    }

    public List<OutgoingMail> submitted() {
        return submitted;
    }
}
