package dev.sealgate.certprovider.local;

import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.Pem;
import dev.sealgate.certprovider.ProviderFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local CA in a directory, the layout of a single node: {@code ca.p12} (both CA keys, a
 * password-protected PKCS#12), {@code issued/<serial>.pem}, {@code revoked.txt} (serial, epoch
 * second, reason per line), {@code crl-number.txt}, {@code crl.pem}. Creating the CA and recording
 * an issued serial are atomic in the file system (a hard link, an exclusive create); revocations
 * and CRLs are safe within one store instance only, so a cluster keeps its CA in the database, and the service moves a directory of this layout there on
 * first start.
 */
public final class FileLocalCaStore implements LocalCaStore {

    static final String KEY_STORE_FILE = "ca.p12";
    private static final String ROOT_ALIAS = "root";
    private static final String ISSUING_ALIAS = "issuing";

    private final Path directory;
    private final char[] password;

    public FileLocalCaStore(Path directory, char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException("the local CA key store needs a non-empty password");
        }
        this.directory = directory;
        this.password = password.clone();
    }

    public FileLocalCaStore(LocalCaConfig config) {
        this(config.directory(), config.keyStorePassword());
    }

    public Path directory() {
        return directory;
    }

    /** Whether the directory holds a CA (its key store). */
    public boolean exists() {
        return Files.exists(directory.resolve(KEY_STORE_FILE));
    }

    @Override
    public String describe() {
        return "directory " + directory;
    }

    @Override
    public synchronized Optional<CaKeys> load() throws CertificateProviderException {
        Path keyStoreFile = directory.resolve(KEY_STORE_FILE);
        if (!Files.exists(keyStoreFile)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            if (!(keyStore.getKey(ISSUING_ALIAS, password) instanceof PrivateKey issuingKey)) {
                throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA key store "
                        + keyStoreFile + " holds no issuing CA key under alias '" + ISSUING_ALIAS
                        + "' — restore the file from backup or move it away to create a new CA");
            }
            PrivateKey rootKey = (PrivateKey) keyStore.getKey(ROOT_ALIAS, password);
            return Optional.of(new CaKeys((X509Certificate) keyStore.getCertificate(ROOT_ALIAS), rootKey,
                    (X509Certificate) keyStore.getCertificate(ISSUING_ALIAS), issuingKey));
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA key store "
                    + keyStoreFile + " cannot be opened (" + e.getMessage()
                    + ") — the master key changed or the file is damaged; restore the master key or the file from backup", e);
        }
    }

    @Override
    public synchronized CaKeys createIfAbsent(CaKeys created) throws CertificateProviderException {
        Optional<CaKeys> existing = load();
        if (existing.isPresent()) {
            return existing.get();
        }
        Path keyStoreFile = directory.resolve(KEY_STORE_FILE);
        try {
            prepareDirectory();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ROOT_ALIAS, created.rootKey(), password, new X509Certificate[] {created.root()});
            keyStore.setKeyEntry(ISSUING_ALIAS, created.issuingKey(), password,
                    new X509Certificate[] {created.issuing(), created.root()});
            Path temp = Files.createTempFile(directory, KEY_STORE_FILE, ".tmp");
            ownerOnly(temp, false);
            try (OutputStream out = Files.newOutputStream(temp)) {
                keyStore.store(out, password);
            }
            try {
                Files.createLink(keyStoreFile, temp);
            } catch (FileAlreadyExistsException raced) {
                return load().orElseThrow(() -> raced);
            } finally {
                Files.delete(temp);
            }
            return created;
        } catch (GeneralSecurityException | IOException e) {
            throw failure("cannot store the CA keys", e);
        }
    }

    @Override
    public synchronized boolean recordIssued(X509Certificate certificate, String address, Instant at)
            throws CertificateProviderException {
        Path file = issuedFile(certificate.getSerialNumber());
        try {
            prepareDirectory();
            Files.writeString(file, Pem.encode(certificate), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } catch (IOException e) {
            throw failure("cannot record certificate " + certificate.getSerialNumber().toString(16), e);
        }
    }

    @Override
    public synchronized Optional<X509Certificate> issued(BigInteger serial) throws CertificateProviderException {
        Path file = issuedFile(serial);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Optional.of(Pem.certificateFromBase64(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (IOException | GeneralSecurityException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA: cannot read " + file
                    + " (" + e.getMessage() + ") — restore it from backup", e);
        }
    }

    /** Every certificate in {@code issued/}, for moving them into another store. */
    public synchronized List<X509Certificate> allIssued() throws CertificateProviderException {
        Path issued = directory.resolve("issued");
        if (!Files.isDirectory(issued)) {
            return List.of();
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try (Stream<Path> files = Files.list(issued)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pem")).sorted().toList()) {
                certificates.add(Pem.certificateFromBase64(Files.readString(file, StandardCharsets.US_ASCII)));
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw failure("cannot read the issued certificates", e);
        }
    }

    @Override
    public synchronized boolean recordRevocation(Revocation revocation) throws CertificateProviderException {
        List<Revocation> all = new ArrayList<>(revocations());
        if (all.stream().anyMatch(r -> r.serial().equals(revocation.serial()))) {
            return false;
        }
        all.add(revocation);
        List<String> lines = all.stream()
                .map(r -> r.serial().toString(16) + " " + r.at().getEpochSecond() + " " + r.reason()).toList();
        try {
            prepareDirectory();
            Path temp = Files.createTempFile(directory, "revoked", ".tmp");
            Files.write(temp, lines, StandardCharsets.US_ASCII);
            moveAtomically(temp, directory.resolve("revoked.txt"));
            return true;
        } catch (IOException e) {
            throw failure("cannot record the revocation of " + revocation.serial().toString(16), e);
        }
    }

    @Override
    public synchronized List<Revocation> revocations() throws CertificateProviderException {
        Path file = directory.resolve("revoked.txt");
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Revocation> revocations = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] fields = line.strip().split(" ");
                if (fields.length == 3) {
                    revocations.add(new Revocation(new BigInteger(fields[0], 16),
                            Instant.ofEpochSecond(Long.parseLong(fields[1])), Integer.parseInt(fields[2])));
                }
            }
            return revocations;
        } catch (IOException | NumberFormatException e) {
            throw failure("cannot read revoked.txt", e);
        }
    }

    @Override
    public synchronized PublishedCrl currentCrl() throws CertificateProviderException {
        Path numberFile = directory.resolve("crl-number.txt");
        Path crlFile = directory.resolve("crl.pem");
        try {
            BigInteger number = Files.exists(numberFile)
                    ? new BigInteger(Files.readString(numberFile, StandardCharsets.US_ASCII).strip()) : BigInteger.ZERO;
            X509CRL crl = null;
            if (Files.exists(crlFile)) {
                crl = (X509CRL) CertificateFactory.getInstance("X.509")
                        .generateCRL(new ByteArrayInputStream(Files.readAllBytes(crlFile)));
            }
            return new PublishedCrl(number, crl);
        } catch (IOException | GeneralSecurityException | NumberFormatException e) {
            throw failure("cannot read its CRL", e);
        }
    }

    @Override
    public synchronized boolean publishCrl(X509CRL crl, BigInteger number, BigInteger previous)
            throws CertificateProviderException {
        if (!currentCrl().number().equals(previous)) {
            return false;
        }
        try {
            prepareDirectory();
            Path temp = Files.createTempFile(directory, "crl", ".tmp");
            Files.writeString(temp, Pem.encode(crl), StandardCharsets.US_ASCII);
            moveAtomically(temp, directory.resolve("crl.pem"));
            Files.writeString(directory.resolve("crl-number.txt"), number.toString(), StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            throw failure("cannot write its CRL", e);
        }
    }

    private void prepareDirectory() throws IOException {
        Files.createDirectories(directory.resolve("issued"));
        ownerOnly(directory, true);
    }

    private Path issuedFile(BigInteger serial) {
        return directory.resolve("issued").resolve(serial.toString(16) + ".pem");
    }

    private CertificateProviderException failure(String what, Exception e) {
        return new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in " + directory + ": "
                + what + " (" + e.getMessage() + ") — check that the directory exists and is writable by the gateway's user", e);
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Owner-only where the file system knows POSIX permissions; elsewhere the directory's ACLs apply. */
    private static void ownerOnly(Path path, boolean isDirectory) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(isDirectory ? "rwx------" : "rw-------"));
        }
    }
}
