import GRDB

/// The versioned schema of the embedded SQLite store. Migrations only ever get appended: a hub
/// upgraded in place runs the ones it has not seen yet (`lgsp serve` does it at start).
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-directory-and-exchange") { db in
            try db.execute(sql: """
                CREATE TABLE units (
                    code TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    parent_code TEXT REFERENCES units(code),
                    status TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE apps (
                    id TEXT PRIMARY KEY,
                    unit_code TEXT REFERENCES units(code),
                    name TEXT NOT NULL,
                    access_key TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    status TEXT NOT NULL,
                    receives TEXT NOT NULL, -- comma-separated data types, or *
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX apps_unit ON apps(unit_code);
                CREATE TABLE app_secrets (
                    id TEXT PRIMARY KEY,
                    app_id TEXT NOT NULL REFERENCES apps(id),
                    sealed BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE INDEX app_secrets_app ON app_secrets(app_id);
                CREATE TABLE grants (
                    id TEXT PRIMARY KEY,
                    app_id TEXT NOT NULL REFERENCES apps(id),
                    send_to TEXT NOT NULL,
                    data_type TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX grants_app ON grants(app_id);

                CREATE TABLE packets (
                    id TEXT PRIMARY KEY,
                    source_app_id TEXT NOT NULL,
                    source_unit TEXT NOT NULL,
                    recipients TEXT NOT NULL, -- comma-separated unit codes, as the source named them
                    subject TEXT NOT NULL,
                    priority INTEGER NOT NULL,
                    data_type TEXT NOT NULL,
                    protocol TEXT NOT NULL,
                    content_size INTEGER NOT NULL,
                    content_sha256 TEXT NOT NULL,
                    media_type TEXT NOT NULL,
                    not_before INTEGER,
                    deadline INTEGER,
                    idempotency_key TEXT,
                    state TEXT NOT NULL,
                    sealed_key BLOB,
                    created_at INTEGER NOT NULL,
                    upload_expires_at INTEGER NOT NULL,
                    uploaded_at INTEGER,
                    finished_at INTEGER,
                    purged_at INTEGER,
                    origin_hub TEXT NOT NULL
                );
                CREATE UNIQUE INDEX packets_idempotency ON packets(source_app_id, idempotency_key)
                    WHERE idempotency_key IS NOT NULL;
                CREATE INDEX packets_source ON packets(source_app_id, id);
                CREATE INDEX packets_awaiting_upload ON packets(upload_expires_at) WHERE state = 'awaiting_upload';
                CREATE INDEX packets_unpurged ON packets(id) WHERE purged_at IS NULL;

                CREATE TABLE deliveries (
                    packet_id TEXT NOT NULL REFERENCES packets(id),
                    app_id TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    state TEXT NOT NULL,
                    final INTEGER NOT NULL DEFAULT 0,
                    priority INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    not_before INTEGER,
                    deadline INTEGER,
                    updated_at INTEGER NOT NULL,
                    reason TEXT,
                    download_expires_at INTEGER,
                    PRIMARY KEY (packet_id, app_id)
                ) WITHOUT ROWID;
                CREATE INDEX deliveries_inbox ON deliveries(app_id, state, priority DESC, created_at);
                CREATE INDEX deliveries_app_packet ON deliveries(app_id, packet_id);
                CREATE INDEX deliveries_due ON deliveries(priority DESC, created_at) WHERE state = 'uploaded';
                CREATE INDEX deliveries_deadline ON deliveries(deadline) WHERE final = 0 AND deadline IS NOT NULL;

                CREATE TABLE delivery_history (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    packet_id TEXT NOT NULL,
                    app_id TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    state TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    reason TEXT
                );
                CREATE INDEX delivery_history_packet ON delivery_history(packet_id, seq);

                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    app_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    packet_id TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX events_app ON events(app_id, seq);
                """)
        }
        migrator.registerMigration("v2-auth-policy-and-nonces") { db in
            try db.execute(sql: """
                ALTER TABLE apps ADD COLUMN auth_schemes TEXT NOT NULL DEFAULT 'aws-sigv4,http-message-signatures,oauth1';
                ALTER TABLE apps ADD COLUMN allow_sha1 INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE apps ADD COLUMN rsa_public_key TEXT;
                ALTER TABLE apps ADD COLUMN debug_signatures INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE app_secrets ADD COLUMN last_used_at INTEGER;
                CREATE TABLE nonces (
                    key_id TEXT NOT NULL,
                    nonce TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (key_id, nonce)
                ) WITHOUT ROWID;
                CREATE INDEX nonces_expiry ON nonces(expires_at);
                """)
        }
        migrator.registerMigration("v3-services-and-sessions") { db in
            try db.execute(sql: """
                ALTER TABLE grants ADD COLUMN service TEXT;
                CREATE TABLE services (
                    unit_code TEXT NOT NULL REFERENCES units(code),
                    name TEXT NOT NULL,
                    base_url TEXT NOT NULL,
                    protocol TEXT NOT NULL,
                    timeout_ms INTEGER NOT NULL,
                    provider_app_id TEXT,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (unit_code, name)
                );
                CREATE TABLE signing_keys (
                    kid TEXT PRIMARY KEY,
                    sealed_private_key BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    retired_at INTEGER
                );
                CREATE TABLE service_calls (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    consumer_app TEXT NOT NULL,
                    consumer_unit TEXT NOT NULL,
                    service TEXT NOT NULL,
                    method TEXT NOT NULL,
                    path TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    request_bytes INTEGER NOT NULL,
                    response_bytes INTEGER NOT NULL,
                    duration_ms INTEGER NOT NULL,
                    error_code TEXT
                );
                CREATE INDEX service_calls_at ON service_calls(at);
                """)
        }
        migrator.registerMigration("v4-webhooks") { db in
            try db.execute(sql: """
                CREATE TABLE webhooks (
                    app_id TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    sealed_secret BLOB NOT NULL,
                    cursor INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER,
                    last_error TEXT,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE webhook_dead_letters (
                    id TEXT PRIMARY KEY,
                    app_id TEXT NOT NULL,
                    event_seq INTEGER NOT NULL,
                    event_type TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    last_error TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v4-presence") { db in
            try db.execute(sql: """
                CREATE TABLE connections (
                    id TEXT PRIMARY KEY,
                    app_id TEXT NOT NULL,
                    unit_code TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    node TEXT NOT NULL,
                    address TEXT NOT NULL,
                    connected_at INTEGER NOT NULL,
                    disconnected_at INTEGER
                );
                CREATE INDEX connections_app ON connections(app_id, connected_at);
                CREATE INDEX connections_unit ON connections(unit_code, connected_at);
                CREATE INDEX connections_open ON connections(node) WHERE disconnected_at IS NULL;
                ALTER TABLE apps ADD COLUMN last_seen_at INTEGER;
                """)
        }
        migrator.registerMigration("v6-report-indexes") { db in
            // Unit reports (ReportStore): packets by upload time, final deliveries by the instant they
            // became final, open deliveries by age. Partial, so each delivery sits in one of the two
            // and the frequent updates of open deliveries never move an entry of deliveries_finished.
            // Each holds every column its queries read (`final` too: SQLite only treats a partial
            // index as covering when it holds the columns of its WHERE), so they never visit the table.
            try db.execute(sql: """
                CREATE INDEX packets_uploaded ON packets(uploaded_at, source_unit, content_size);
                CREATE INDEX deliveries_finished ON deliveries(updated_at, recipient, state, created_at, final) WHERE final = 1;
                CREATE INDEX deliveries_open_since ON deliveries(created_at, recipient, final) WHERE final = 0;
                """)
        }
        migrator.registerMigration("v5-directory-search") { db in
            // Smart directory (Article 5.7) and reorganisations (Article 7). `search_text` is derived
            // from the names (VietnameseText.searchKey); `derived_versions` says which revision of
            // that function made it, so a newer hub recomputes it (SQLiteStore.refreshUnitSearchText).
            try db.execute(sql: """
                ALTER TABLE units ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
                ALTER TABLE units ADD COLUMN former_names TEXT NOT NULL DEFAULT ''; -- newline-separated, oldest first
                ALTER TABLE units ADD COLUMN replaced_reason TEXT;
                ALTER TABLE units ADD COLUMN replaced_effective INTEGER;
                CREATE TABLE unit_successions (
                    old_code TEXT NOT NULL REFERENCES units(code),
                    position INTEGER NOT NULL,
                    new_code TEXT NOT NULL REFERENCES units(code),
                    PRIMARY KEY (old_code, position)
                ) WITHOUT ROWID;
                CREATE INDEX unit_successions_new ON unit_successions(new_code);
                CREATE TABLE derived_versions (
                    name TEXT PRIMARY KEY,
                    version INTEGER NOT NULL
                );
                ALTER TABLE packets ADD COLUMN redirects TEXT; -- JSON array of RecipientRedirect, NULL when none
                """)
            try SQLiteStore.refreshUnitSearchText(db)
        }
        migrator.registerMigration("v7-offline-limit") { db in
            // Article 5.9: per-app offline limit, and the deliveries waiting for their destination.
            try db.execute(sql: """
                ALTER TABLE apps ADD COLUMN offline_limit_ms INTEGER;
                CREATE INDEX deliveries_waiting ON deliveries(app_id, updated_at) WHERE state IN ('ready', 'notified');
                """)
        }
        migrator.registerMigration("v8-content-formats") { db in
            // Article 8.4: the formats each app accepts, and the converted content a delivery offers.
            try db.execute(sql: """
                ALTER TABLE apps ADD COLUMN accepts TEXT NOT NULL DEFAULT ''; -- comma-separated formats, in order of preference
                ALTER TABLE deliveries ADD COLUMN variant TEXT; -- JSON ContentVariant, NULL: the content as sent
                """)
        }
        migrator.registerMigration("v9-service-mappings") { db in
            // Article 10 with the transformation layer: mappings converting a service's requests and answers.
            try db.execute(sql: """
                ALTER TABLE services ADD COLUMN request_mapping TEXT;
                ALTER TABLE services ADD COLUMN response_mapping TEXT;
                """)
        }
        migrator.registerMigration("v10-delivery-traces") { db in
            // Article 8.5: processing statuses destinations report (edXML status packets 01…06, 13/15/16).
            try db.execute(sql: """
                CREATE TABLE delivery_traces (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    packet_id TEXT NOT NULL REFERENCES packets(id),
                    app_id TEXT NOT NULL,
                    recipient TEXT NOT NULL,
                    status TEXT NOT NULL,
                    description TEXT,
                    staff TEXT,
                    reported_at INTEGER,
                    at INTEGER NOT NULL
                );
                CREATE INDEX delivery_traces_packet ON delivery_traces(packet_id, seq);
                """)
        }
        migrator.registerMigration("v11-ops-maintenance-incidents") { db in
            // Articles 13 and 15.6: announced maintenance windows, and the incident log (linked to audit entries).
            try db.execute(sql: """
                CREATE TABLE maintenance_windows (
                    id TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    message TEXT NOT NULL,
                    message_en TEXT,
                    starts_at INTEGER NOT NULL,
                    ends_at INTEGER NOT NULL,
                    services TEXT NOT NULL, -- JSON array of names
                    units TEXT NOT NULL, -- JSON array of unit codes
                    announced_at INTEGER NOT NULL,
                    announced_by TEXT NOT NULL,
                    updated_at INTEGER,
                    cancelled_at INTEGER,
                    cancelled_by TEXT,
                    cancel_reason TEXT
                );
                CREATE INDEX maintenance_windows_end ON maintenance_windows(ends_at);
                CREATE TABLE incidents (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    title TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    opened_at INTEGER NOT NULL,
                    opened_by TEXT NOT NULL,
                    resolved_at INTEGER,
                    resolved_by TEXT,
                    resolution TEXT
                );
                CREATE TABLE incident_actions (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    incident_id INTEGER NOT NULL REFERENCES incidents(id),
                    kind TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    by TEXT NOT NULL,
                    text TEXT NOT NULL,
                    audit_seq INTEGER -- the audit log entry that records this step
                );
                CREATE INDEX incident_actions_incident ON incident_actions(incident_id, seq);
                """)
        }
        migrator.registerMigration("v11-sso-accounts") { db in
            // Article 11: the SSO's officials, registered client apps, one-time codes and browser sessions.
            try db.execute(sql: """
                CREATE TABLE sso_officials (
                    id TEXT PRIMARY KEY,
                    login TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    roles TEXT NOT NULL, -- JSON array of role names
                    unit TEXT,
                    password_hash TEXT NOT NULL,
                    sealed_totp BLOB,
                    failed_attempts INTEGER NOT NULL DEFAULT 0,
                    locked_until INTEGER,
                    disabled INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE sso_clients (
                    id TEXT PRIMARY KEY,
                    secret_hash TEXT,
                    name TEXT NOT NULL,
                    redirect_uris TEXT NOT NULL, -- JSON array
                    post_logout_uris TEXT NOT NULL, -- JSON array
                    backchannel_uri TEXT,
                    created_at INTEGER NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0
                );
                CREATE TABLE sso_sessions (
                    id TEXT PRIMARY KEY,
                    cookie_hash TEXT NOT NULL UNIQUE,
                    official_id TEXT NOT NULL REFERENCES sso_officials(id),
                    auth_time INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    ended_at INTEGER
                );
                CREATE TABLE sso_session_clients (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id TEXT NOT NULL REFERENCES sso_sessions(id),
                    client_id TEXT NOT NULL,
                    UNIQUE (session_id, client_id)
                );
                CREATE TABLE sso_codes (
                    id TEXT PRIMARY KEY, -- SHA-256 of the code
                    client_id TEXT NOT NULL,
                    redirect_uri TEXT NOT NULL,
                    code_challenge TEXT NOT NULL,
                    nonce TEXT,
                    official_id TEXT NOT NULL REFERENCES sso_officials(id),
                    session_id TEXT NOT NULL REFERENCES sso_sessions(id),
                    auth_time INTEGER NOT NULL,
                    issued_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    redeemed_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE INDEX sso_codes_expiry ON sso_codes(expires_at);
                """)
        }
        // Several nodes on one store: each node's lease (alive until), and task leases (who runs a sweep, who pushes an app's webhook).
        migrator.registerMigration("v12-cluster-leases") { db in
            try db.execute(
                sql: """
                CREATE TABLE cluster_nodes (node TEXT PRIMARY KEY, started_at INTEGER NOT NULL, lease_until INTEGER NOT NULL);
                CREATE TABLE cluster_leases (task TEXT PRIMARY KEY, holder TEXT NOT NULL, lease_until INTEGER NOT NULL);
                CREATE INDEX cluster_leases_holder ON cluster_leases(holder);
                """)
        }
        // Federation: per-peer cursor of the status reports sent back, and the peers' signed hand-off receipts.
        migrator.registerMigration("v13-federation-peer-links") { db in
            try db.execute(
                sql: """
                CREATE TABLE peer_status_cursors (peer TEXT PRIMARY KEY, cursor INTEGER NOT NULL);
                CREATE TABLE peer_receipts (
                    packet_id TEXT NOT NULL,
                    peer TEXT NOT NULL,
                    token TEXT NOT NULL,
                    recipients TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    PRIMARY KEY (packet_id, peer)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
