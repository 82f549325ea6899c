package dev.sealgate.addin;

import java.util.List;

public record RecipientsCheckResponse(List<RecipientStatus> recipients) {
}
