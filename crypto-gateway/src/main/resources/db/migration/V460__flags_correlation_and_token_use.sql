-- Add-in flags that travel by correlation id, and single use of flags tokens (V460-V464; docs/adr/0123).

-- Flags the add-in stored under a random correlation id it also set as header X-Sealgate-Correlation:
-- the fallback when Outlook drops the long X-Sealgate-Flags header. One message uses an id once.
CREATE TABLE flags_correlation (
    correlation_id  VARCHAR(64)  PRIMARY KEY,
    sender          VARCHAR(320) NOT NULL,
    encrypt         BOOLEAN      NOT NULL,
    sign            BOOLEAN      NOT NULL,
    large_files     BOOLEAN      NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at         TIMESTAMP WITH TIME ZONE,
    used_message_id VARCHAR(998)
);
CREATE INDEX flags_correlation_expires_at ON flags_correlation (expires_at);

-- Flags tokens (by jti) the gateway has honoured, and for which message: the same token on another
-- message is a replay and is ignored.
CREATE TABLE flags_token_use (
    token_id    VARCHAR(64)  PRIMARY KEY,
    sender      VARCHAR(320) NOT NULL,
    message_id  VARCHAR(998) NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX flags_token_use_expires_at ON flags_token_use (expires_at);
