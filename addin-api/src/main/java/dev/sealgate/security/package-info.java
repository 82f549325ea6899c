/**
 * Who calls the add-in API: bearer JWTs from the organisation's identity provider (Entra ID through
 * nested app auth, or any OIDC issuer), validated with Nimbus JOSE+JWT against the issuer's JWKS.
 * See docs/adr/0052-add-in-authentication-with-nimbus.md.
 */
package dev.sealgate.security;
