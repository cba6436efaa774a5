import Foundation
import LGSPCore
import Logging
import PostgresNIO

/// The versioned schema of the PostgreSQL store: the same logical schema as `SQLiteMigrations`
/// (same tables, columns and meanings; instants as Unix milliseconds in `bigint`), in PostgreSQL's
/// types: `bytea` for sealed secrets, `boolean` for flags, `bigserial` for sequence numbers.
///
/// Migrations only ever get appended. Each applied one is a row of `lgsp_migrations`. All pending
/// migrations run in one transaction under a transaction-level advisory lock, so nodes starting
/// together apply each exactly once and a failed upgrade leaves the schema as it was.
///
/// The hot queries and the indexes they use (checked with EXPLAIN on PostgreSQL 15):
/// - inbox (`deliveries_inbox`): `WHERE app_id = $1 AND state IN ('ready','notified','accepted')
///   ORDER BY priority DESC, created_at` — an index scan on (app_id, state, priority DESC, created_at).
/// - due work (`deliveries_due`, partial on `state = 'uploaded'`): the maintenance pass reads only
///   the deliveries waiting for the hub, in queue order, without touching delivered history.
/// - deadlines (`deliveries_deadline`, partial on open deliveries with a deadline).
/// - waiting destinations (`deliveries_waiting`, partial on ready/notified, by app and age).
/// - events of an app after a cursor (`events_app` on (app_id, seq)): every stream and webhook poll.
/// - packet history of a source (`packets_source` on (source_app_id, id)); idempotency
///   (`packets_idempotency`, unique and partial); purge candidates (`packets_unpurged`, partial).
/// - reports (`packets_uploaded`, `deliveries_finished`, `deliveries_open_since`), as in SQLite's v6.
/// - nonces by expiry (`nonces_expiry`), open connections of a node (`connections_open`).
public enum PostgresMigrations {
    /// A named list of statements, applied together.
    public struct Migration: Sendable {
        public var name: String
        public var statements: [String]
    }

    /// Every migration, in order. Append new ones at the end with a unique name.
    public static let all: [Migration] = [
        Migration(name: "pg1-directory-and-exchange", statements: directoryAndExchange),
        Migration(name: "pg2-audit-log", statements: auditLog),
        Migration(name: "pg3-sso-accounts", statements: ssoAccounts),
        Migration(name: "pg4-ops-maintenance-incidents", statements: maintenanceAndIncidents),
        Migration(name: "pg-cluster-leases", statements: clusterLeases),
    ]

    /// Applies the pending migrations; returns the names it applied.
    @discardableResult
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [String] {
        try await client.withTransaction(logger: logger) { connection in
            // 0x6c677370 = "lgsp": one lock id for schema changes, held until COMMIT.
            try await connection.query("SELECT pg_advisory_xact_lock(\(Int64(0x6c67_7370)))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS lgsp_migrations (name text PRIMARY KEY, applied_at bigint NOT NULL)", logger: logger)
            var done = Set<String>()
            for try await name in try await connection.query("SELECT name FROM lgsp_migrations", logger: logger).decode(String.self) {
                done.insert(name)
            }
            var applied: [String] = []
            for migration in all where !done.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO lgsp_migrations (name, applied_at) VALUES (\(migration.name), \(Date().millis))", logger: logger)
                applied.append(migration.name)
            }
            return applied
        }
    }

    /// The applied migrations, in the order they were defined.
    static func applied(_ client: PostgresClient, logger: Logger) async throws -> [String] {
        var names = Set<String>()
        for try await name in try await client.query("SELECT name FROM lgsp_migrations", logger: logger).decode(String.self) {
            names.insert(name)
        }
        return all.map(\.name).filter(names.contains)
    }

    static let directoryAndExchange = [
        """
        CREATE TABLE units (
            code text PRIMARY KEY,
            name text NOT NULL,
            parent_code text REFERENCES units(code),
            status text NOT NULL,
            created_at bigint NOT NULL,
            search_text text NOT NULL DEFAULT '',
            former_names text NOT NULL DEFAULT '',
            replaced_reason text,
            replaced_effective bigint
        )
        """,
        """
        CREATE TABLE unit_successions (
            old_code text NOT NULL REFERENCES units(code),
            position bigint NOT NULL,
            new_code text NOT NULL REFERENCES units(code),
            PRIMARY KEY (old_code, position)
        )
        """,
        "CREATE INDEX unit_successions_new ON unit_successions(new_code)",
        """
        CREATE TABLE derived_versions (
            name text PRIMARY KEY,
            version bigint NOT NULL
        )
        """,
        """
        CREATE TABLE apps (
            id text PRIMARY KEY,
            unit_code text REFERENCES units(code),
            name text NOT NULL,
            access_key text NOT NULL UNIQUE,
            role text NOT NULL,
            status text NOT NULL,
            receives text NOT NULL,
            created_at bigint NOT NULL,
            auth_schemes text NOT NULL DEFAULT 'aws-sigv4,http-message-signatures,oauth1',
            allow_sha1 boolean NOT NULL DEFAULT false,
            rsa_public_key text,
            debug_signatures boolean NOT NULL DEFAULT false,
            last_seen_at bigint,
            offline_limit_ms bigint,
            accepts text NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX apps_unit ON apps(unit_code)",
        """
        CREATE TABLE app_secrets (
            id text PRIMARY KEY,
            app_id text NOT NULL REFERENCES apps(id),
            sealed bytea NOT NULL,
            created_at bigint NOT NULL,
            expires_at bigint,
            revoked_at bigint,
            last_used_at bigint
        )
        """,
        "CREATE INDEX app_secrets_app ON app_secrets(app_id)",
        """
        CREATE TABLE grants (
            id text PRIMARY KEY,
            app_id text NOT NULL REFERENCES apps(id),
            send_to text NOT NULL,
            data_type text,
            service text,
            created_at bigint NOT NULL
        )
        """,
        "CREATE INDEX grants_app ON grants(app_id)",
        """
        CREATE TABLE packets (
            id text PRIMARY KEY,
            source_app_id text NOT NULL,
            source_unit text NOT NULL,
            recipients text NOT NULL,
            subject text NOT NULL,
            priority bigint NOT NULL,
            data_type text NOT NULL,
            protocol text NOT NULL,
            content_size bigint NOT NULL,
            content_sha256 text NOT NULL,
            media_type text NOT NULL,
            not_before bigint,
            deadline bigint,
            idempotency_key text,
            state text NOT NULL,
            sealed_key bytea,
            created_at bigint NOT NULL,
            upload_expires_at bigint NOT NULL,
            uploaded_at bigint,
            finished_at bigint,
            purged_at bigint,
            origin_hub text NOT NULL,
            redirects text
        )
        """,
        "CREATE UNIQUE INDEX packets_idempotency ON packets(source_app_id, idempotency_key) WHERE idempotency_key IS NOT NULL",
        "CREATE INDEX packets_source ON packets(source_app_id, id)",
        "CREATE INDEX packets_awaiting_upload ON packets(upload_expires_at) WHERE state = 'awaiting_upload'",
        "CREATE INDEX packets_unpurged ON packets(id) WHERE purged_at IS NULL",
        "CREATE INDEX packets_uploaded ON packets(uploaded_at, source_unit, content_size)",
        """
        CREATE TABLE deliveries (
            packet_id text NOT NULL REFERENCES packets(id),
            app_id text NOT NULL,
            recipient text NOT NULL,
            state text NOT NULL,
            final boolean NOT NULL DEFAULT false,
            priority bigint NOT NULL,
            created_at bigint NOT NULL,
            not_before bigint,
            deadline bigint,
            updated_at bigint NOT NULL,
            reason text,
            download_expires_at bigint,
            variant text,
            PRIMARY KEY (packet_id, app_id)
        )
        """,
        "CREATE INDEX deliveries_inbox ON deliveries(app_id, state, priority DESC, created_at)",
        "CREATE INDEX deliveries_app_packet ON deliveries(app_id, packet_id)",
        "CREATE INDEX deliveries_due ON deliveries(priority DESC, created_at) WHERE state = 'uploaded'",
        "CREATE INDEX deliveries_deadline ON deliveries(deadline) WHERE NOT final AND deadline IS NOT NULL",
        "CREATE INDEX deliveries_waiting ON deliveries(app_id, updated_at) WHERE state IN ('ready', 'notified')",
        "CREATE INDEX deliveries_open_packet ON deliveries(packet_id) WHERE NOT final",
        "CREATE INDEX deliveries_finished ON deliveries(updated_at, recipient, state, created_at) WHERE final",
        "CREATE INDEX deliveries_open_since ON deliveries(created_at, recipient) WHERE NOT final",
        """
        CREATE TABLE delivery_history (
            seq bigserial PRIMARY KEY,
            packet_id text NOT NULL,
            app_id text NOT NULL,
            recipient text NOT NULL,
            state text NOT NULL,
            at bigint NOT NULL,
            reason text
        )
        """,
        "CREATE INDEX delivery_history_packet ON delivery_history(packet_id, seq)",
        """
        CREATE TABLE events (
            seq bigserial PRIMARY KEY,
            app_id text NOT NULL,
            type text NOT NULL,
            packet_id text NOT NULL,
            payload text NOT NULL,
            at bigint NOT NULL
        )
        """,
        "CREATE INDEX events_app ON events(app_id, seq)",
        """
        CREATE TABLE nonces (
            key_id text NOT NULL,
            nonce text NOT NULL,
            expires_at bigint NOT NULL,
            PRIMARY KEY (key_id, nonce)
        )
        """,
        "CREATE INDEX nonces_expiry ON nonces(expires_at)",
        """
        CREATE TABLE services (
            unit_code text NOT NULL REFERENCES units(code),
            name text NOT NULL,
            base_url text NOT NULL,
            protocol text NOT NULL,
            timeout_ms bigint NOT NULL,
            provider_app_id text,
            created_at bigint NOT NULL,
            request_mapping text,
            response_mapping text,
            PRIMARY KEY (unit_code, name)
        )
        """,
        """
        CREATE TABLE signing_keys (
            kid text PRIMARY KEY,
            sealed_private_key bytea NOT NULL,
            created_at bigint NOT NULL,
            retired_at bigint
        )
        """,
        """
        CREATE TABLE service_calls (
            seq bigserial PRIMARY KEY,
            at bigint NOT NULL,
            consumer_app text NOT NULL,
            consumer_unit text NOT NULL,
            service text NOT NULL,
            method text NOT NULL,
            path text NOT NULL,
            status bigint NOT NULL,
            request_bytes bigint NOT NULL,
            response_bytes bigint NOT NULL,
            duration_ms bigint NOT NULL,
            error_code text
        )
        """,
        "CREATE INDEX service_calls_at ON service_calls(at)",
        """
        CREATE TABLE webhooks (
            app_id text PRIMARY KEY,
            url text NOT NULL,
            sealed_secret bytea NOT NULL,
            cursor bigint NOT NULL,
            attempts bigint NOT NULL DEFAULT 0,
            next_attempt_at bigint,
            last_error text,
            created_at bigint NOT NULL
        )
        """,
        """
        CREATE TABLE webhook_dead_letters (
            id text PRIMARY KEY,
            app_id text NOT NULL,
            event_seq bigint NOT NULL,
            event_type text NOT NULL,
            attempts bigint NOT NULL,
            last_error text NOT NULL,
            at bigint NOT NULL
        )
        """,
        """
        CREATE TABLE connections (
            id text PRIMARY KEY,
            app_id text NOT NULL,
            unit_code text NOT NULL,
            channel text NOT NULL,
            node text NOT NULL,
            address text NOT NULL,
            connected_at bigint NOT NULL,
            disconnected_at bigint
        )
        """,
        "CREATE INDEX connections_app ON connections(app_id, connected_at)",
        "CREATE INDEX connections_unit ON connections(unit_code, connected_at)",
        "CREATE INDEX connections_open ON connections(node) WHERE disconnected_at IS NULL",
        """
        CREATE TABLE delivery_traces (
            seq bigserial PRIMARY KEY,
            packet_id text NOT NULL REFERENCES packets(id),
            app_id text NOT NULL,
            recipient text NOT NULL,
            status text NOT NULL,
            description text,
            staff text,
            reported_at bigint,
            at bigint NOT NULL
        )
        """,
        "CREATE INDEX delivery_traces_packet ON delivery_traces(packet_id, seq)",
    ]

    static let auditLog = [
        """
        CREATE TABLE audit_entries (
            sequence bigint PRIMARY KEY,
            at bigint NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            target text NOT NULL,
            outcome text NOT NULL,
            source text NOT NULL,
            request_id text NOT NULL,
            hash text NOT NULL
        )
        """,
        "CREATE INDEX audit_entries_at ON audit_entries(at)",
        """
        CREATE TABLE audit_checkpoints (
            id bigserial PRIMARY KEY,
            sequence bigint NOT NULL,
            hash text NOT NULL,
            at bigint NOT NULL,
            public_key text NOT NULL,
            signature text NOT NULL
        )
        """,
        """
        CREATE FUNCTION lgsp_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only';
        END
        $$
        """,
        """
        CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION lgsp_audit_append_only()
        """,
        "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION lgsp_audit_append_only()",
        """
        CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
            FOR EACH ROW EXECUTE FUNCTION lgsp_audit_append_only()
        """,
    ]

    /// Article 11: the SSO's officials, registered client apps, one-time codes and browser sessions.
    static let ssoAccounts = [
        """
        CREATE TABLE sso_officials (
            id text PRIMARY KEY,
            login text NOT NULL UNIQUE,
            display_name text NOT NULL,
            roles text NOT NULL,
            unit text,
            password_hash text NOT NULL,
            sealed_totp bytea,
            failed_attempts bigint NOT NULL DEFAULT 0,
            locked_until bigint,
            disabled boolean NOT NULL DEFAULT false,
            created_at bigint NOT NULL
        )
        """,
        """
        CREATE TABLE sso_clients (
            id text PRIMARY KEY,
            secret_hash text,
            name text NOT NULL,
            redirect_uris text NOT NULL,
            post_logout_uris text NOT NULL,
            backchannel_uri text,
            created_at bigint NOT NULL,
            disabled boolean NOT NULL DEFAULT false
        )
        """,
        """
        CREATE TABLE sso_sessions (
            id text PRIMARY KEY,
            cookie_hash text NOT NULL UNIQUE,
            official_id text NOT NULL REFERENCES sso_officials(id),
            auth_time bigint NOT NULL,
            expires_at bigint NOT NULL,
            ended_at bigint
        )
        """,
        """
        CREATE TABLE sso_session_clients (
            seq bigserial PRIMARY KEY,
            session_id text NOT NULL REFERENCES sso_sessions(id),
            client_id text NOT NULL,
            UNIQUE (session_id, client_id)
        )
        """,
        """
        CREATE TABLE sso_codes (
            id text PRIMARY KEY,
            client_id text NOT NULL,
            redirect_uri text NOT NULL,
            code_challenge text NOT NULL,
            nonce text,
            official_id text NOT NULL REFERENCES sso_officials(id),
            session_id text NOT NULL REFERENCES sso_sessions(id),
            auth_time bigint NOT NULL,
            issued_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            redeemed_at bigint,
            revoked_at bigint
        )
        """,
        "CREATE INDEX sso_codes_expiry ON sso_codes(expires_at)",
    ]

    /// Articles 13 and 15.6: announced maintenance windows, and the incident log (linked to audit entries).
    static let maintenanceAndIncidents = [
        """
        CREATE TABLE maintenance_windows (
            id text PRIMARY KEY,
            title text NOT NULL,
            message text NOT NULL,
            message_en text,
            starts_at bigint NOT NULL,
            ends_at bigint NOT NULL,
            services text NOT NULL,
            units text NOT NULL,
            announced_at bigint NOT NULL,
            announced_by text NOT NULL,
            updated_at bigint,
            cancelled_at bigint,
            cancelled_by text,
            cancel_reason text
        )
        """,
        "CREATE INDEX maintenance_windows_end ON maintenance_windows(ends_at)",
        """
        CREATE TABLE incidents (
            id bigserial PRIMARY KEY,
            title text NOT NULL,
            severity text NOT NULL,
            opened_at bigint NOT NULL,
            opened_by text NOT NULL,
            resolved_at bigint,
            resolved_by text,
            resolution text
        )
        """,
        """
        CREATE TABLE incident_actions (
            seq bigserial PRIMARY KEY,
            incident_id bigint NOT NULL REFERENCES incidents(id),
            kind text NOT NULL,
            at bigint NOT NULL,
            by text NOT NULL,
            text text NOT NULL,
            audit_seq bigint
        )
        """,
        "CREATE INDEX incident_actions_incident ON incident_actions(incident_id, seq)",
    ]
}
