/**
 * Large files: uploads streamed to the {@link dev.sealgate.blob.BlobStore}, unguessable download
 * links (optionally with a password and a download limit), reply links that let an external
 * recipient send files back, and the web portal pages for both.
 */
package dev.sealgate.files;
