/**
 * The storage layer every module shares: plain JDBC through Spring's {@code JdbcClient}, the schema
 * by Flyway migrations under {@code db/migration}. The same SQL runs on embedded H2 (in PostgreSQL
 * mode) and on PostgreSQL; each repository has one contract test run on both.
 */
package dev.sealgate.storage;
