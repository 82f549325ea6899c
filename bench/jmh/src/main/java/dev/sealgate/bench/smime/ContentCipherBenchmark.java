package dev.sealgate.bench.smime;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.concurrent.TimeUnit;

/**
 * Bulk content encryption of 64 KB, AES-256 GCM and CBC, SunJCE against Bouncy Castle:
 * the measurement behind ADR 0010 (which provider does the bulk crypto).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ContentCipherBenchmark {

    @Param({"SunJCE", "BC"})
    public String provider;

    @Param({"AES/GCM/NoPadding", "AES/CBC/PKCS5Padding"})
    public String transformation;

    private final byte[] plain = new byte[64 * 1024];
    private byte[] encrypted;
    private Provider jca;
    private SecretKey key;
    private byte[] iv;
    private boolean gcm;

    @Setup
    public void setUp() throws Exception {
        jca = provider.equals("BC") ? new BouncyCastleProvider() : Security.getProvider("SunJCE");
        new SecureRandom().nextBytes(plain);
        KeyGenerator kg = KeyGenerator.getInstance("AES");
        kg.init(256);
        key = kg.generateKey();
        gcm = transformation.contains("GCM");
        iv = new byte[gcm ? 12 : 16];
        new SecureRandom().nextBytes(iv);
        encrypted = cipher(Cipher.ENCRYPT_MODE).doFinal(plain);
    }

    private Cipher cipher(int mode) throws Exception {
        // A new Cipher per message, as the engine does. One nonce for all is only acceptable because
        // nothing encrypted here leaves the benchmark.
        Cipher c = Cipher.getInstance(transformation, jca);
        c.init(mode, key, gcm ? new GCMParameterSpec(128, iv) : new IvParameterSpec(iv));
        return c;
    }

    @Benchmark
    public byte[] encrypt64k() throws Exception {
        return cipher(Cipher.ENCRYPT_MODE).doFinal(plain);
    }

    @Benchmark
    public byte[] decrypt64k() throws Exception {
        return cipher(Cipher.DECRYPT_MODE).doFinal(encrypted);
    }
}
