package dev.sealgate.addin;

import dev.sealgate.flags.FlagsToken;
import dev.sealgate.flags.FlagsTokenIssuer;
import dev.sealgate.flags.IssuedFlagsToken;
import dev.sealgate.flags.MessageFlags;
import dev.sealgate.flags.MessageFlagsStore;
import dev.sealgate.security.AddinUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/addin")
@Tag(name = "Outlook add-in", description = "Called by the Outlook add-in with the user's bearer token")
@SecurityRequirement(name = "addin-bearer")
class AddinController {

    private static final int MAX_ADDRESS = 320;

    private final AddinSettingsPolicy settings;
    private final RecipientLookup recipients;
    private final FlagsTokenIssuer issuer;
    private final MessageFlagsStore flagsStore;
    private final AddinProperties properties;

    AddinController(AddinSettingsPolicy settings, RecipientLookup recipients, FlagsTokenIssuer issuer,
                    MessageFlagsStore flagsStore, AddinProperties properties) {
        this.settings = settings;
        this.recipients = recipients;
        this.issuer = issuer;
        this.flagsStore = flagsStore;
        this.properties = properties;
    }

    @GetMapping("/settings")
    @Operation(summary = "Buttons, default states and limits for the calling user")
    Mono<AddinSettings> settings(@AuthenticationPrincipal AddinUser user) {
        return Blocking.call(() -> settings.settingsFor(user.mailAddress()));
    }

    @PostMapping("/recipients/check")
    @Operation(summary = "Per recipient: internal or external, usable certificate, what encryption would do",
            description = "At most 500 recipients per call; more is refused with 400.")
    Mono<RecipientsCheckResponse> check(@RequestBody RecipientsCheckRequest request, @AuthenticationPrincipal AddinUser user) {
        List<String> addresses = request.recipients() == null ? List.of() : request.recipients();
        if (addresses.size() > RecipientsCheckRequest.MAX) {
            throw new IllegalArgumentException("at most " + RecipientsCheckRequest.MAX + " recipients per check, got "
                    + addresses.size() + "; split the list into several calls");
        }
        for (String address : addresses) {
            requireAddress("recipient", address);
        }
        List<String> stripped = addresses.stream().map(String::strip).toList();
        return Blocking.call(() -> new RecipientsCheckResponse(recipients.check(user.mailAddress(), stripped)));
    }

    @PostMapping("/flags")
    @Operation(summary = "Sign the user's flags for a message",
            description = "Returns a compact ES256 JWS the add-in sets as internet header X-Sealgate-Flags. "
                    + "The sender must be the authenticated user (403 otherwise).")
    Mono<FlagsResponse> flags(@RequestBody FlagsRequest request, @AuthenticationPrincipal AddinUser user) {
        String sender = request.sender() == null || request.sender().isBlank() ? user.mailAddress()
                : request.sender().strip().toLowerCase(Locale.ROOT);
        requireAddress("sender", sender);
        if (!sender.equals(user.mailAddress())) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "the flags are for sender " + sender
                    + " but the bearer token authenticates " + user.mailAddress() + "; request flags only for your own address");
        }
        if (!request.encrypt() && properties.encryptByDefault() && !properties.mayDisableEncryption()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "encryption cannot be switched off for " + sender
                    + ": sealgate.addin.may-disable-encryption is false");
        }
        if (request.messageId() != null && request.messageId().length() > 998) {
            throw new IllegalArgumentException("messageId is longer than 998 characters");
        }
        MessageFlags flags = new MessageFlags(request.encrypt(), request.sign(), request.largeFiles());
        return Blocking.call(() -> {
            IssuedFlagsToken token = issuer.issue(sender, flags, request.messageId(), properties.flagsLifetime());
            if (request.messageId() != null && !request.messageId().isBlank()) {
                flagsStore.save(request.messageId(), sender, flags, token.expiresAt());
            }
            return new FlagsResponse(FlagsToken.HEADER, token.token(), token.expiresAt());
        });
    }

    private static void requireAddress(String what, String address) {
        if (address == null || address.length() > MAX_ADDRESS || address.indexOf('@') <= 0
                || address.indexOf('@') != address.lastIndexOf('@') || address.endsWith("@")
                || address.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new IllegalArgumentException(what + " is not a mail address: "
                    + (address == null ? "(none)" : address.substring(0, Math.min(address.length(), 80))));
        }
    }
}
