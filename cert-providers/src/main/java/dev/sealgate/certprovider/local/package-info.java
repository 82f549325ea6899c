/** The embedded local CA: the zero-configuration default provider, with its own CRL. */
package dev.sealgate.certprovider.local;
