package dev.sealgate.flags;

import com.nimbusds.jose.jwk.ECKey;
import java.util.Optional;

/** The public keys flags tokens may be signed with, by key id; retired keys stay until their tokens expire. */
public interface FlagsKeyRing {

    Optional<ECKey> verificationKey(String kid);
}
