package dev.sealgate.io;

/**
 * Names Jakarta Mail's stream provider once, as a system property, so that the API does not look
 * it up through {@link java.util.ServiceLoader} on every header it parses. Jakarta Mail 2.1
 * ({@code jakarta.mail.util.StreamProvider.provider()}, called by every {@code InternetHeaders},
 * {@code MimeMessage} and {@code MimeUtility} operation) scans the class path for the provider's
 * service file each time unless this property names the class (jakartaee/mail-api#699, #861); in
 * the service's nested jar that scan was 13 % of the CPU of pass-through mail (bench/RESULTS.md,
 * round 5). With the property set, the API loads the named class from the class loader, which
 * finds it already loaded. ADR 0215.
 */
public final class MailStreamProviders {

    /** The system property Jakarta Mail's factory finder reads first. */
    public static final String PROPERTY = "jakarta.mail.util.StreamProvider";

    /** Angus Mail's provider, the implementation the service ships. */
    public static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

    private MailStreamProviders() {
    }

    /**
     * Sets the property to Angus Mail's provider unless it is set already (an operator's choice
     * stays) or Angus Mail is not on the class path (then the API's own search stays).
     *
     * @return the provider class now named by the property, or null when none is
     */
    public static String pin() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try {
            Class.forName(ANGUS, false, MailStreamProviders.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        System.setProperty(PROPERTY, ANGUS);
        return ANGUS;
    }
}
