/** The CertificateProvider SPI and its implementations. Knows nothing of mail or of Spring. */
package dev.sealgate.certprovider;
