package dev.sealgate.flags;

import com.nimbusds.jose.jwk.ECKey;

/** Where the service gets the key to sign a new flags token with (private part included). */
public interface FlagsSigningKeys extends FlagsKeyRing {

    ECKey currentSigningKey();
}
