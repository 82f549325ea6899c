package dev.sealgate.smtp;

/**
 * What the listener does with a bare LF (a line ending without CR) in message data; Postfix's
 * {@code smtpd_forbid_bare_newline} is the model. Bare CR is refused in either mode, and bare LF in
 * a command line always is.
 */
public enum BareNewline {
    /**
     * Accept LF alone as a line ending and store it as CR LF; only {@code <CR><LF>.<CR><LF>} ends the
     * data (a dot line after a bare LF is content). Postfix's default since 3.9: it defeats SMTP
     * smuggling without refusing sloppy but legitimate clients.
     */
    NORMALIZE,
    /** Answer {@code 521} and close the connection at the first bare LF. */
    REJECT
}
