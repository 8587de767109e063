import Logging
import PostgresNIO

/// The store's tables in PostgreSQL: the SQLite store's, with NUMERIC money and TIMESTAMPTZ times.
/// Migrations are append-only: never edit one that has shipped, add another.
enum PostgresSchema {
    static let migrations: [(id: String, sql: [PostgresQuery])] = [
        (
            "v1: daily costs, baselines, anomalies, job runs",
            [
                """
                CREATE TABLE billing_daily (
                    date TEXT NOT NULL,
                    domain_id TEXT NOT NULL,
                    project_id TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    domain_name TEXT NOT NULL,
                    project_name TEXT NOT NULL,
                    service_name TEXT NOT NULL,
                    usage_time NUMERIC NOT NULL,
                    usage_size NUMERIC NOT NULL,
                    general_amount NUMERIC NOT NULL,
                    discount_amount NUMERIC NOT NULL,
                    expect_amount NUMERIC NOT NULL,
                    pricing_types TEXT NOT NULL,
                    regions TEXT NOT NULL,
                    row_count INTEGER NOT NULL,
                    is_anomaly BOOLEAN NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (date, domain_id, project_id, service_id)
                )
                """,
                """
                CREATE TABLE billing_baseline (
                    domain_id TEXT NOT NULL,
                    project_id TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    mean DOUBLE PRECISION NOT NULL,
                    std DOUBLE PRECISION NOT NULL,
                    min DOUBLE PRECISION NOT NULL,
                    max DOUBLE PRECISION NOT NULL,
                    p50 DOUBLE PRECISION NOT NULL,
                    p95 DOUBLE PRECISION NOT NULL,
                    sample_count INTEGER NOT NULL,
                    window_start TEXT NOT NULL,
                    window_end TEXT NOT NULL,
                    computed_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (domain_id, project_id, service_id)
                )
                """,
                """
                CREATE TABLE billing_anomalies (
                    date TEXT NOT NULL,
                    hour INTEGER NOT NULL,
                    domain_id TEXT NOT NULL,
                    project_id TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    domain_name TEXT NOT NULL,
                    project_name TEXT NOT NULL,
                    service_name TEXT NOT NULL,
                    observed NUMERIC NOT NULL,
                    baseline_mean DOUBLE PRECISION NOT NULL,
                    baseline_std DOUBLE PRECISION NOT NULL,
                    z_score DOUBLE PRECISION,
                    ratio DOUBLE PRECISION NOT NULL,
                    z_score_threshold DOUBLE PRECISION NOT NULL,
                    ratio_threshold DOUBLE PRECISION NOT NULL,
                    detector TEXT NOT NULL,
                    status TEXT NOT NULL,
                    notify_status TEXT NOT NULL,
                    notified_at TIMESTAMPTZ,
                    notify_detail TEXT,
                    detected_at TIMESTAMPTZ NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (date, hour, domain_id, project_id, service_id)
                )
                """,
                """
                CREATE TABLE job_runs (
                    job TEXT NOT NULL,
                    date TEXT NOT NULL,
                    row_count INTEGER NOT NULL,
                    key_count INTEGER NOT NULL,
                    finished_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (job, date)
                )
                """,
            ]
        ),
        (
            "v2: intraday snapshots, anomaly explanations",
            [
                """
                CREATE TABLE billing_intraday (
                    date TEXT NOT NULL,
                    hour INTEGER NOT NULL,
                    domain_id TEXT NOT NULL,
                    project_id TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    expect_amount NUMERIC NOT NULL,
                    PRIMARY KEY (date, hour, domain_id, project_id, service_id)
                )
                """,
                """
                ALTER TABLE billing_anomalies ADD COLUMN expected DOUBLE PRECISION,
                    ADD COLUMN expected_low DOUBLE PRECISION, ADD COLUMN expected_high DOUBLE PRECISION,
                    ADD COLUMN impact DOUBLE PRECISION, ADD COLUMN reason TEXT
                """,
            ]
        ),
        (
            "v3: cost parts per pricing type and region, anomaly drivers",
            [
                "ALTER TABLE billing_daily ADD COLUMN parts TEXT NOT NULL DEFAULT '[]'",
                "ALTER TABLE billing_anomalies ADD COLUMN driver TEXT",
            ]
        ),
        (
            "v4: alert delivery outbox",
            [
                """
                CREATE TABLE alert_deliveries (
                        date TEXT NOT NULL,
                        hour INTEGER NOT NULL,
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        status TEXT NOT NULL,
                        attempts INTEGER NOT NULL,
                        last_error TEXT,
                        updated_at TIMESTAMPTZ NOT NULL,
                        PRIMARY KEY (date, hour, domain_id, project_id, service_id, channel)
                    )
                """
            ]
        ),
        (
            "v5: silences and feedback",
            [
                """
                CREATE TABLE alert_silences (
                        id TEXT PRIMARY KEY,
                        matchers TEXT NOT NULL,
                        until TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        created_at TIMESTAMPTZ NOT NULL
                    )
                """,
                """
                CREATE TABLE anomaly_feedback (
                        date TEXT NOT NULL,
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        verdict TEXT NOT NULL,
                        note TEXT,
                        recorded_at TIMESTAMPTZ NOT NULL,
                        PRIMARY KEY (date, domain_id, project_id, service_id)
                    )
                """,
            ]
        ),
        (
            "v6: anomaly rarity",
            [
                "ALTER TABLE billing_anomalies ADD COLUMN rarity_days INTEGER",
                "ALTER TABLE billing_anomalies ADD COLUMN rarity_history_days INTEGER",
            ]
        ),
        (
            "v7: each service's daily total, daily costs by key",
            [
                """
                CREATE TABLE billing_daily_service (
                    date TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    service_name TEXT NOT NULL,
                    expect_amount NUMERIC NOT NULL,
                    key_count BIGINT NOT NULL,
                    PRIMARY KEY (date, service_id)
                )
                """,
                "CREATE INDEX billing_daily_by_key ON billing_daily (domain_id, project_id, service_id, date)",
                """
                INSERT INTO billing_daily_service (date, service_id, service_name, expect_amount, key_count)
                SELECT date, service_id, MAX(service_name), SUM(expect_amount), COUNT(*) FROM billing_daily GROUP BY date, service_id
                """,
            ]
        ),
        (
            "v8: each day's top movers",
            [
                """
                CREATE TABLE billing_daily_movers (
                    date TEXT NOT NULL,
                    rank INTEGER NOT NULL,
                    domain_id TEXT NOT NULL,
                    project_id TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    domain_name TEXT NOT NULL,
                    project_name TEXT NOT NULL,
                    service_name TEXT NOT NULL,
                    expect_amount NUMERIC NOT NULL,
                    usual DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (date, rank)
                )
                """,
            ]
        ),
        (
            // Each key numbered once, and every day's amount by number: what the jobs read of history,
            // without billing_daily's wide rows. Amounts are doubles, for statistics only.
            "v9: compact cost history",
            [
                """
                CREATE TABLE billing_keys (
                    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    domain_id TEXT NOT NULL,
                    project_id TEXT NOT NULL,
                    service_id TEXT NOT NULL,
                    UNIQUE (domain_id, project_id, service_id)
                )
                """,
                """
                CREATE TABLE billing_history (
                    day INTEGER NOT NULL,
                    key_id BIGINT NOT NULL REFERENCES billing_keys (id),
                    amount DOUBLE PRECISION NOT NULL,
                    is_anomaly BOOLEAN NOT NULL,
                    PRIMARY KEY (day, key_id)
                )
                """,
                """
                INSERT INTO billing_keys (domain_id, project_id, service_id)
                SELECT DISTINCT domain_id, project_id, service_id FROM billing_daily ORDER BY domain_id, project_id, service_id
                """,
                """
                INSERT INTO billing_history (day, key_id, amount, is_anomaly)
                SELECT to_date(d.date, 'YYYYMMDD') - DATE '1970-01-01', k.id, d.expect_amount::float8, d.is_anomaly
                FROM billing_daily d JOIN billing_keys k USING (domain_id, project_id, service_id)
                """,
            ]
        ),
    ]

    /// Applies the migrations not yet applied in one transaction, under a lock taken first, so that two
    /// processes starting together on an empty database do not both create the tables.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(7265331)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger)
            for migration in migrations {
                let rows = try await connection.query("SELECT 1 FROM schema_migrations WHERE id = \(migration.id)", logger: logger)
                var applied = false
                for try await _ in rows { applied = true }
                guard !applied else { continue }
                for statement in migration.sql {
                    try await connection.query(statement, logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (id) VALUES (\(migration.id))", logger: logger)
            }
        }
    }
}
