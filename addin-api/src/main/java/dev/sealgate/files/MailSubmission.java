package dev.sealgate.files;

/**
 * Hands a mail the service writes itself (e.g. "files arrived for you") to the gateway for
 * delivery. Wired to the outbound queue by the gateway's configuration; without such a bean the
 * portal still accepts reply uploads and records an event that the sender was not notified.
 */
public interface MailSubmission {

    /**
     * @return whether the gateway queued the mail; when not, the implementation has recorded an
     *         event saying why
     */
    boolean submit(OutgoingMail mail);

    /**
     * @param from     envelope sender and header From
     * @param to       the one recipient
     * @param subject  plain text subject
     * @param textBody plain text body
     */
    record OutgoingMail(String from, String to, String subject, String textBody) {
    }
}
