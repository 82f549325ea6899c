package dev.sealgate.files;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Files, download links, downloads and reply links in the database. */
public class FileRepository {

    private final JdbcClient jdbc;

    public FileRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** A stored file as the link sees it. */
    public record FileRecord(String id, String storageKey, String name, String contentType, long size, String sha256,
                             String owner, Instant createdAt, Instant expiresAt) {
    }

    /** A download link joined with its file. */
    public record LinkRecord(String id, FileRecord file, String passwordHash, Integer maxDownloads, int downloadCount,
                             Instant expiresAt, Instant revokedAt) {

        /** Usable right now: not revoked, not expired, downloads left, file not deleted. */
        public boolean usableAt(Instant now) {
            return revokedAt == null && now.isBefore(expiresAt) && now.isBefore(file.expiresAt())
                    && (maxDownloads == null || downloadCount < maxDownloads);
        }
    }

    public record ReplyLinkRecord(String id, String owner, Instant expiresAt, Instant revokedAt) {

        public boolean usableAt(Instant now) {
            return revokedAt == null && now.isBefore(expiresAt);
        }
    }

    public record Download(Instant downloadedAt, String clientAddress) {
    }

    public void insertFile(FileRecord file) {
        jdbc.sql("INSERT INTO stored_file (id, storage_key, name, content_type, size_bytes, sha256, owner, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(file.id(), file.storageKey(), file.name(), file.contentType(), file.size(), file.sha256(), file.owner(),
                        Timestamp.from(file.createdAt()), Timestamp.from(file.expiresAt()))
                .update();
    }

    public void insertLink(String id, String fileId, String tokenHash, String passwordHash, Integer maxDownloads,
                           Instant createdAt, Instant expiresAt) {
        jdbc.sql("INSERT INTO file_link (id, file_id, token_hash, password_hash, max_downloads, created_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(id, fileId, tokenHash, passwordHash, maxDownloads, Timestamp.from(createdAt), Timestamp.from(expiresAt))
                .update();
    }

    public Optional<LinkRecord> findLink(String tokenHash) {
        return jdbc.sql("SELECT l.id AS link_id, l.password_hash, l.max_downloads, l.download_count, l.expires_at AS link_expires, "
                        + "l.revoked_at, f.* FROM file_link l JOIN stored_file f ON f.id = l.file_id "
                        + "WHERE l.token_hash = ? AND f.deleted_at IS NULL")
                .param(tokenHash)
                .query((rs, row) -> new LinkRecord(rs.getString("link_id"), file(rs), rs.getString("password_hash"),
                        (Integer) rs.getObject("max_downloads"), rs.getInt("download_count"),
                        rs.getTimestamp("link_expires").toInstant(), instant(rs, "revoked_at")))
                .optional();
    }

    /** Counts one download if the link still has downloads left; false when it had none. */
    public boolean countDownload(String linkId, Instant at, String clientAddress) {
        int updated = jdbc.sql("UPDATE file_link SET download_count = download_count + 1 "
                        + "WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND (max_downloads IS NULL OR download_count < max_downloads)")
                .params(linkId, Timestamp.from(at))
                .update();
        if (updated == 1) {
            jdbc.sql("INSERT INTO file_download (link_id, downloaded_at, client_address) VALUES (?, ?, ?)")
                    .params(linkId, Timestamp.from(at), clientAddress)
                    .update();
        }
        return updated == 1;
    }

    /** Deletes the download records made before the cutoff (the links' counts stay); returns how many went. */
    public int deleteDownloadsBefore(Instant cutoff) {
        return jdbc.sql("DELETE FROM file_download WHERE downloaded_at < ?").param(Timestamp.from(cutoff)).update();
    }

    public List<Download> downloads(String linkId) {
        return jdbc.sql("SELECT downloaded_at, client_address FROM file_download WHERE link_id = ? ORDER BY downloaded_at, id")
                .param(linkId)
                .query((rs, row) -> new Download(rs.getTimestamp("downloaded_at").toInstant(), rs.getString("client_address")))
                .list();
    }

    /** Revokes a link of this owner; false when there is no such link for this owner. */
    public boolean revokeLink(String linkId, String owner, Instant at) {
        return jdbc.sql("UPDATE file_link SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL "
                        + "AND file_id IN (SELECT id FROM stored_file WHERE owner = ?)")
                .params(Timestamp.from(at), linkId, owner)
                .update() == 1;
    }

    /** One of a user's own download links, as the add-in lists them (never the token: only its hash is kept). */
    public record OwnedLink(String id, String name, long size, Instant createdAt, Instant expiresAt, Instant revokedAt,
                            Integer maxDownloads, int downloadCount, boolean passwordProtected) {
    }

    /** The owner's links whose file is not deleted, newest first. */
    public List<OwnedLink> ownedLinks(String owner, int limit) {
        return jdbc.sql("SELECT l.id, f.name, f.size_bytes, l.created_at, l.expires_at, l.revoked_at, l.max_downloads, "
                        + "l.download_count, l.password_hash FROM file_link l JOIN stored_file f ON f.id = l.file_id "
                        + "WHERE f.owner = ? AND f.deleted_at IS NULL ORDER BY l.created_at DESC, l.id LIMIT ?")
                .params(owner, limit)
                .query((rs, row) -> new OwnedLink(rs.getString("id"), rs.getString("name"), rs.getLong("size_bytes"),
                        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                        instant(rs, "revoked_at"), (Integer) rs.getObject("max_downloads"), rs.getInt("download_count"),
                        rs.getString("password_hash") != null))
                .list();
    }

    /**
     * A download link as an admin sees it: whose it is, which file, how big, until when, how often
     * fetched. Never the token (only its hash is kept) and never the password.
     */
    public record AdminLink(String id, String owner, String name, long size, Instant createdAt, Instant expiresAt,
                            Instant revokedAt, Integer maxDownloads, int downloadCount, boolean passwordProtected) {
    }

    /**
     * Links whose file is not deleted, newest first; {@code owner} (contains, case-insensitive) and
     * {@code name} (contains) filter when not blank, {@code active} keeps only links not revoked and
     * not expired at {@code now}.
     */
    public List<AdminLink> links(String owner, String name, boolean active, Instant now, int limit) {
        StringBuilder sql = new StringBuilder("SELECT l.id, f.owner, f.name, f.size_bytes, l.created_at, l.expires_at, l.revoked_at,"
                + " l.max_downloads, l.download_count, l.password_hash FROM file_link l JOIN stored_file f ON f.id = l.file_id"
                + " WHERE f.deleted_at IS NULL");
        java.util.Map<String, Object> params = new java.util.TreeMap<>();
        if (owner != null && !owner.isBlank()) {
            sql.append(" AND LOWER(f.owner) LIKE :owner");
            params.put("owner", "%" + owner.strip().toLowerCase(java.util.Locale.ROOT) + "%");
        }
        if (name != null && !name.isBlank()) {
            sql.append(" AND LOWER(f.name) LIKE :name");
            params.put("name", "%" + name.strip().toLowerCase(java.util.Locale.ROOT) + "%");
        }
        if (active) {
            sql.append(" AND l.revoked_at IS NULL AND l.expires_at > :now");
            params.put("now", Timestamp.from(now));
        }
        sql.append(" ORDER BY l.created_at DESC, l.id LIMIT :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, row) -> new AdminLink(rs.getString("id"), rs.getString("owner"), rs.getString("name"),
                        rs.getLong("size_bytes"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                        instant(rs, "revoked_at"), (Integer) rs.getObject("max_downloads"), rs.getInt("download_count"),
                        rs.getString("password_hash") != null))
                .list();
    }

    /** Revokes any link (an admin's action); false when there is no such link or it is revoked already. */
    public boolean revokeLink(String linkId, Instant at) {
        return jdbc.sql("UPDATE file_link SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .params(Timestamp.from(at), linkId)
                .update() == 1;
    }

    /** Whether a link with this id exists (revoked or not). */
    public boolean linkExists(String linkId) {
        return jdbc.sql("SELECT COUNT(*) FROM file_link WHERE id = ?").param(linkId).query(Integer.class).single() > 0;
    }

    public Optional<String> linkOwner(String linkId) {
        return jdbc.sql("SELECT f.owner FROM file_link l JOIN stored_file f ON f.id = l.file_id WHERE l.id = ?")
                .param(linkId).query(String.class).optional();
    }

    public void insertReplyLink(String id, String tokenHash, String owner, Instant createdAt, Instant expiresAt) {
        jdbc.sql("INSERT INTO reply_link (id, token_hash, owner, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
                .params(id, tokenHash, owner, Timestamp.from(createdAt), Timestamp.from(expiresAt))
                .update();
    }

    public Optional<ReplyLinkRecord> findReplyLink(String tokenHash) {
        return jdbc.sql("SELECT id, owner, expires_at, revoked_at FROM reply_link WHERE token_hash = ?")
                .param(tokenHash)
                .query((rs, row) -> new ReplyLinkRecord(rs.getString("id"), rs.getString("owner"),
                        rs.getTimestamp("expires_at").toInstant(), instant(rs, "revoked_at")))
                .optional();
    }

    /** Counts one upload if the reply link has uploads left; false when it had none. */
    public boolean countReplyUpload(String id, int limit) {
        return jdbc.sql("UPDATE reply_link SET upload_count = upload_count + 1 WHERE id = ? AND upload_count < ?")
                .params(id, limit).update() == 1;
    }

    public boolean revokeReplyLink(String id, String owner, Instant at) {
        return jdbc.sql("UPDATE reply_link SET revoked_at = ? WHERE id = ? AND owner = ? AND revoked_at IS NULL")
                .params(Timestamp.from(at), id, owner).update() == 1;
    }

    /** Files past their expiry whose content is still in storage. */
    public List<FileRecord> expiredFiles(Instant now, int limit) {
        return jdbc.sql("SELECT * FROM stored_file WHERE deleted_at IS NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?")
                .params(Timestamp.from(now), limit)
                .query((rs, row) -> file(rs))
                .list();
    }

    public void markDeleted(String fileId, Instant at) {
        jdbc.sql("UPDATE stored_file SET deleted_at = ? WHERE id = ?").params(Timestamp.from(at), fileId).update();
    }

    private static FileRecord file(ResultSet rs) throws SQLException {
        return new FileRecord(rs.getString("id"), rs.getString("storage_key"), rs.getString("name"), rs.getString("content_type"),
                rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("owner"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
