package dev.sealgate.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written key check against the pattern that documents it ({@link BlobStore#KEY} and no
 * {@code ..}), and the SHA-256 check of {@link BlobInfo}: odd spellings an attacker would try, and
 * random strings over an alphabet of valid and invalid characters.
 */
class BlobKeysTest {

    private static boolean byPattern(String key) {
        return key != null && BlobStore.KEY.matcher(key).matches() && !key.contains("..");
    }

    @Test
    void shouldAgreeWithThePatternOnHostileSpellings() {
        String long200 = "a".repeat(200);
        String[] keys = {null, "", "a", ".", "..", "../a", "a/..", "a/../b", "a..b", "a.b", "a./b", ".a", "a/.b", "/a", "a/", "a//b",
            "a/b/c/d", "a/b/c/d/e", long200, long200 + "a", long200 + "/" + long200, "a\\b", "a b", "a%2e%2e", "a\u0000b",
            "ä", "a/b\n", "-", "_", "a-._", "spool/20261130-abc.eml", "a/./b", "a.", "a...b", "a/b.", "ᴬ"};
        for (String key : keys) {
            assertThat(BlobStore.isValidKey(key)).as("key %s", key).isEqualTo(byPattern(key));
        }
        assertThatThrownBy(() -> BlobStore.checkKey("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(BlobStore.checkKey("spool/x.eml")).isEqualTo("spool/x.eml");
    }

    @Test
    void shouldAgreeWithThePatternOnRandomKeys() {
        char[] alphabet = {'a', 'Z', '7', '_', '-', '.', '.', '/', '/', '\\', ' ', '%', 'é'};
        Random random = new Random(20261130);
        int valid = 0;
        for (int n = 0; n < 200_000; n++) {
            int length = random.nextInt(12) == 0 ? 190 + random.nextInt(30) : random.nextInt(14);
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < length; i++) {
                key.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String k = key.toString();
            boolean expected = byPattern(k);
            valid += expected ? 1 : 0;
            assertThat(BlobStore.isValidKey(k)).as("key %s", k).isEqualTo(expected);
        }
        // the alphabet gives both answers often enough for the comparison to mean something
        assertThat(valid).isBetween(1_000, 199_000);
    }

    @Test
    void shouldTakeOnlySixtyFourLowerCaseHexDigitsAsSha256() {
        String good = "0123456789abcdef".repeat(4);
        assertThat(new BlobInfo(1, good).sha256()).isEqualTo(good);
        for (String bad : new String[] {null, "", good.substring(1), good + "0", good.toUpperCase(), good.replace('f', 'g'),
            good.substring(1) + " ", good.substring(1) + "٣"}) {
            assertThatThrownBy(() -> new BlobInfo(1, bad)).as("sha %s", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
