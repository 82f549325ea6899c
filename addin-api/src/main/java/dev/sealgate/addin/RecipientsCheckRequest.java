package dev.sealgate.addin;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

@Schema(description = "Recipients of the message being composed (To, Cc and Bcc)")
public record RecipientsCheckRequest(
        @ArraySchema(maxItems = RecipientsCheckRequest.MAX, schema = @Schema(example = "bob@partner.example"))
        List<String> recipients) {

    public static final int MAX = 500;
}
