/** SwissSign's legacy CMC interface (ra.swisssign.net) over mutual TLS with the AutoRAO certificate. */
package dev.sealgate.certprovider.swisssign.cmc;
