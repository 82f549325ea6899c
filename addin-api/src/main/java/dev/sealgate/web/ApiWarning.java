package dev.sealgate.web;

import java.util.Map;

/**
 * Something an API answer warns about although the request succeeded. The code is stable and is
 * what clients (the console, in its language) decide on; the message is the English text for
 * people and logs; the arguments are the variable parts the message names, for a client that
 * words the warning itself.
 *
 * @param code      stable, dotted, e.g. {@code certificate.ca-as-partner}; the codes are listed in ADR 0201
 * @param message   English, one sentence with the fix
 * @param arguments the values named in the message, by name; empty when none
 */
public record ApiWarning(String code, String message, Map<String, String> arguments) {

    public ApiWarning {
        arguments = Map.copyOf(arguments);
    }

    public ApiWarning(String code, String message) {
        this(code, message, Map.of());
    }
}
