/**
 * The S/MIME engine: pure Bouncy Castle and Jakarta Mail, no storage, no framework.
 *
 * <ul>
 *   <li>{@link dev.sealgate.smime.SmimeSigner} signs (detached multipart/signed or opaque signed-data),
 *       {@link dev.sealgate.smime.SmimeVerifier} verifies into a {@link dev.sealgate.smime.VerificationResult}.</li>
 *   <li>{@link dev.sealgate.smime.SmimeEncryptor} encrypts (enveloped-data with AES-CBC, authenticated-enveloped-data
 *       with AES-GCM) to {@link dev.sealgate.smime.RecipientSpec}s; {@link dev.sealgate.smime.SmimeDecryptor}
 *       decrypts with keys from a {@link dev.sealgate.smime.RecipientKeyResolver}.</li>
 *   <li>{@link dev.sealgate.smime.SmimeInspector} tells what a message is; {@link dev.sealgate.smime.SmimeUnwrapper}
 *       takes nested layers off one by one.</li>
 *   <li>Failures are {@link dev.sealgate.smime.SmimeException}s with one-line messages that name the thing and the fix.</li>
 * </ul>
 *
 * Every operation streams from a {@code MimeMessage} (built on a {@code SharedFileInputStream} for spooled mail)
 * to an {@code OutputStream}; see docs/adr/0012.
 */
package dev.sealgate.smime;
