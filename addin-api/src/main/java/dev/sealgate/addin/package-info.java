/**
 * The Outlook add-in's API: what to show the user ({@code settings}), what would happen to each
 * recipient ({@code recipients/check}), and the signed flags token the add-in puts into the message
 * ({@code flags}). Authentication is done before these controllers by {@link dev.sealgate.security}.
 */
package dev.sealgate.addin;
