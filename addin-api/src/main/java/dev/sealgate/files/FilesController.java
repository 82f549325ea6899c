package dev.sealgate.files;

import dev.sealgate.security.AddinUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/v1/files")
@Tag(name = "Large files", description = "Uploads and links, called by the Outlook add-in with the user's bearer token")
@SecurityRequirement(name = "addin-bearer")
public class FilesController {

    static final String PASSWORD_HEADER = "X-Link-Password";

    private final LargeFiles files;
    private final FilesProperties properties;

    FilesController(LargeFiles files, FilesProperties properties) {
        this.files = files;
        this.properties = properties;
    }

    @Schema(description = "A new download link for an uploaded file")
    record UploadResponse(@Schema(example = "6f1c1e9e-4a7f-4a39-9d4c-2b1b8a4f3f10") String linkId,
                          @Schema(example = "https://files.example.org/portal/d/3q2-...") String url,
                          @Schema(example = "report.pdf") String name,
                          @Schema(example = "52428800") long size,
                          @Schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String sha256,
                          @Schema(example = "2026-05-18T10:00:00Z") Instant expiresAt) {
    }

    @Schema(description = "A link an external recipient can upload files back with")
    record ReplyLinkRequest(@Schema(description = "Days until the link expires; default sealgate.files.default-expiry",
            example = "14") Integer expiresInDays) {
    }

    record ReplyLinkResponse(String replyLinkId, @Schema(example = "https://files.example.org/portal/r/Zx9...") String url,
                             Instant expiresAt) {
    }

    @PostMapping(consumes = "*/*")
    @Operation(summary = "Upload a file as the raw request body and get a download link",
            description = "The body is streamed to storage, never held in memory. Larger than "
                    + "sealgate.files.max-file-size: 413. The optional password travels in the X-Link-Password header.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "The file's bytes",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/octet-stream",
                            schema = @Schema(type = "string", format = "binary"))))
    Mono<ResponseEntity<UploadResponse>> upload(
            @Parameter(description = "File name as the recipient sees it; sanitised", example = "report.pdf") @RequestParam String name,
            @Parameter(description = "Days until the link expires", example = "14") @RequestParam(required = false) Integer expiresInDays,
            @Parameter(description = "Downloads allowed; unlimited when absent", example = "3") @RequestParam(required = false) Integer maxDownloads,
            @Parameter(description = "Password the recipient must enter") @RequestHeader(name = PASSWORD_HEADER, required = false) String password,
            @AuthenticationPrincipal AddinUser user, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        LargeFiles.LinkOptions options = new LargeFiles.LinkOptions(properties.expiry(expiresInDays),
                password == null || password.isEmpty() ? null : password, maxDownloads);
        if (request.getHeaders().getContentLength() > properties.maxFileSize().toBytes()) {
            throw new FileTooLargeException(properties.maxFileSize().toBytes());
        }
        String base = portalBase(properties, request);
        return files.upload(request.getBody(), name, user.mailAddress(), options)
                .map(created -> ResponseEntity.status(HttpStatus.CREATED).body(new UploadResponse(created.linkId(),
                        base + "/portal/d/" + created.token(), created.name(), created.size(), created.sha256(), created.expiresAt())));
    }

    @DeleteMapping("/links/{linkId}")
    @Operation(summary = "Revoke one of your download links")
    Mono<ResponseEntity<Void>> revoke(@PathVariable String linkId, @AuthenticationPrincipal AddinUser user) {
        return Blocking.call(() -> {
            if (!files.revoke(linkId, user.mailAddress())) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no active download link " + linkId + " of " + user.mailAddress());
            }
            return ResponseEntity.noContent().build();
        });
    }

    @GetMapping("/links/{linkId}/downloads")
    @Operation(summary = "When and from where one of your links was used")
    Mono<List<FileRepository.Download>> downloads(@PathVariable String linkId, @AuthenticationPrincipal AddinUser user) {
        return Blocking.call(() -> files.downloads(linkId, user.mailAddress())
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no download link " + linkId + " of " + user.mailAddress())));
    }

    @PostMapping("/reply-links")
    @Operation(summary = "Create a reply link: recipients upload files back without an account",
            description = "Each upload through the link creates a download link for you and a mail that tells you about it.")
    Mono<ResponseEntity<ReplyLinkResponse>> replyLink(@RequestBody(required = false) ReplyLinkRequest body, @AuthenticationPrincipal AddinUser user, ServerWebExchange exchange) {
        var expiry = properties.expiry(body == null ? null : body.expiresInDays());
        String base = portalBase(properties, exchange.getRequest());
        return Blocking.call(() -> {
            LargeFiles.CreatedReplyLink created = files.createReplyLink(user.mailAddress(), expiry);
            return ResponseEntity.status(HttpStatus.CREATED)
                    .body(new ReplyLinkResponse(created.replyLinkId(), base + "/portal/r/" + created.token(), created.expiresAt()));
        });
    }

    @DeleteMapping("/reply-links/{id}")
    @Operation(summary = "Revoke one of your reply links")
    Mono<ResponseEntity<Void>> revokeReplyLink(@PathVariable String id, @AuthenticationPrincipal AddinUser user) {
        return Blocking.call(() -> {
            if (!files.revokeReplyLink(id, user.mailAddress())) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no active reply link " + id + " of " + user.mailAddress());
            }
            return ResponseEntity.noContent().build();
        });
    }

    /** The portal's public address: {@code sealgate.files.public-base-url}, else scheme and authority of the request. */
    public static String portalBase(FilesProperties properties, ServerHttpRequest request) {
        if (properties.publicBaseUrl() != null) {
            String base = properties.publicBaseUrl().toString();
            return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        }
        var uri = request.getURI();
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
