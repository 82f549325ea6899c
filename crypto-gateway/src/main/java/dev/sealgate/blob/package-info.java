/**
 * The blob store: every message body in the spool and every large file, by key, on the file system
 * under the data directory or in S3-compatible object storage; encrypted at rest
 * ({@link dev.sealgate.blob.EncryptedBlobStore}) and checked against the size and SHA-256 the
 * database recorded on every read ({@link dev.sealgate.blob.VerifiedInputStream}). See
 * docs/adr/0100-blob-store.md.
 */
package dev.sealgate.blob;
