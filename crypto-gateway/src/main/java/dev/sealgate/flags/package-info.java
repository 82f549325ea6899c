/**
 * Per-message choices from the Outlook add-in (encrypt, sign, large files) on their way to the
 * gateway: the add-in sets them as a signed token in the {@code X-Sealgate-Flags} header, and the
 * service also keeps them by Internet Message-ID and sender for mail whose header Outlook dropped.
 * See docs/adr/0050-how-flags-travel-from-the-add-in-to-the-gateway.md.
 */
package dev.sealgate.flags;
