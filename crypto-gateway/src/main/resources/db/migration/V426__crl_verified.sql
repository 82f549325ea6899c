-- An imported CRL is used only once its signature is verified by a certificate of its issuer in the
-- store. CRLs imported before this column existed were stored without that check when their issuer
-- was absent: they start unverified and are verified (or stay unused) when first looked up.
ALTER TABLE certificate_crl ADD COLUMN verified BOOLEAN DEFAULT FALSE NOT NULL;
