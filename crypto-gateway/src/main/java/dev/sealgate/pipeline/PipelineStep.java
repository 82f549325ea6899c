package dev.sealgate.pipeline;

import java.io.IOException;

/**
 * One step of the mail pipeline: the extension point where policy and S/MIME plug into the mail
 * path. The service collects every {@code PipelineStep} bean, sorts them by Spring's
 * {@code @Order}/{@code Ordered} (lowest first), and runs them for each accepted message. With no
 * step the pipeline passes every message through unchanged.
 *
 * <p><b>When it runs.</b> In the SMTP session, after the message as received is durably spooled
 * and before the gateway answers "250" to DATA, on the session's own thread (never a Netty event
 * loop), so a step may block (JDBC, crypto, enrollment calls). The outcome of all steps is
 * committed in one database transaction with the queue rows; a crash before that commit means
 * the client was not told "250" and sends again, so a step must not have effects outside the
 * message that a repeat would double (or must make them idempotent).
 *
 * <p><b>What a step sees and may do</b>, all through {@link PipelineMessage}:
 * <ul>
 *   <li>read the envelope ({@link PipelineMessage#envelope()}: sender, RET/ENVID, recipients with
 *       NOTIFY/ORCPT, client, TLS, {@link PipelineMessage#direction()}) and the header section;</li>
 *   <li>iterate {@link PipelineMessage#deliveries()}: each delivery is a set of recipients that get
 *       the same bytes; at the start there is one delivery with all recipients and the content as
 *       received;</li>
 *   <li>transform a delivery's content ({@link PipelineMessage#transform}: the step writes the new
 *       bytes to a stream, they are spooled durably, e.g. sign or encrypt);</li>
 *   <li>split recipients into their own delivery ({@link PipelineMessage#split}), e.g. to encrypt
 *       for those who have a certificate and send the others a plain copy;</li>
 *   <li>hold a delivery with a reason ({@link PipelineMessage#hold}), e.g. waiting for a
 *       certificate; it stays in the queue until an admin releases or deletes it;</li>
 *   <li>reject a recipient with an SMTP reply ({@link PipelineMessage#reject}); the sender gets a
 *       failure notice for it (or the whole DATA is refused when no recipient is left);</li>
 *   <li>record what it did in the tracking record ({@link PipelineMessage#tracking()});</li>
 *   <li>pass a result to later steps ({@link PipelineMessage#attribute(Class, Object)}).</li>
 * </ul>
 * A step that throws an {@link IOException} or a runtime exception makes the gateway answer
 * "451 4.3.0" (the client retries) and record an event; nothing of that attempt is queued.
 */
@FunctionalInterface
public interface PipelineStep {

    void process(PipelineMessage message) throws IOException;
}
