/** SwissSign's RA REST API (api.ra.swisssign.ch), following SwissSign's published api.yaml. */
package dev.sealgate.certprovider.swisssign.rest;
