import BillingCore
import GRDB

/// The store's tables, built by append-only migrations: never edit one that has shipped, add another.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: daily costs, baselines, anomalies, job runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE billing_daily (
                        date TEXT NOT NULL,
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        domain_name TEXT NOT NULL,
                        project_name TEXT NOT NULL,
                        service_name TEXT NOT NULL,
                        usage_time TEXT NOT NULL,
                        usage_size TEXT NOT NULL,
                        general_amount TEXT NOT NULL,
                        discount_amount TEXT NOT NULL,
                        expect_amount TEXT NOT NULL,
                        pricing_types TEXT NOT NULL,
                        regions TEXT NOT NULL,
                        row_count INTEGER NOT NULL,
                        is_anomaly INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (date, domain_id, project_id, service_id)
                    );
                    CREATE TABLE billing_baseline (
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        mean REAL NOT NULL,
                        std REAL NOT NULL,
                        min REAL NOT NULL,
                        max REAL NOT NULL,
                        p50 REAL NOT NULL,
                        p95 REAL NOT NULL,
                        sample_count INTEGER NOT NULL,
                        window_start TEXT NOT NULL,
                        window_end TEXT NOT NULL,
                        computed_at TEXT NOT NULL,
                        PRIMARY KEY (domain_id, project_id, service_id)
                    );
                    CREATE TABLE billing_anomalies (
                        date TEXT NOT NULL,
                        hour INTEGER NOT NULL,
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        domain_name TEXT NOT NULL,
                        project_name TEXT NOT NULL,
                        service_name TEXT NOT NULL,
                        observed TEXT NOT NULL,
                        baseline_mean REAL NOT NULL,
                        baseline_std REAL NOT NULL,
                        z_score REAL,
                        ratio REAL NOT NULL,
                        z_score_threshold REAL NOT NULL,
                        ratio_threshold REAL NOT NULL,
                        detector TEXT NOT NULL,
                        status TEXT NOT NULL,
                        notify_status TEXT NOT NULL,
                        notified_at TEXT,
                        notify_detail TEXT,
                        detected_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (date, hour, domain_id, project_id, service_id)
                    );
                    CREATE TABLE job_runs (
                        job TEXT NOT NULL,
                        date TEXT NOT NULL,
                        row_count INTEGER NOT NULL,
                        key_count INTEGER NOT NULL,
                        finished_at TEXT NOT NULL,
                        PRIMARY KEY (job, date)
                    );
                    """)
        }
        migrator.registerMigration("v2: intraday snapshots, anomaly explanations") { db in
            try db.execute(
                sql: """
                    CREATE TABLE billing_intraday (
                        date TEXT NOT NULL,
                        hour INTEGER NOT NULL,
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        expect_amount TEXT NOT NULL,
                        PRIMARY KEY (date, hour, domain_id, project_id, service_id)
                    );
                    ALTER TABLE billing_anomalies ADD COLUMN expected REAL;
                    ALTER TABLE billing_anomalies ADD COLUMN expected_low REAL;
                    ALTER TABLE billing_anomalies ADD COLUMN expected_high REAL;
                    ALTER TABLE billing_anomalies ADD COLUMN impact REAL;
                    ALTER TABLE billing_anomalies ADD COLUMN reason TEXT;
                    """)
        }
        migrator.registerMigration("v3: cost parts per pricing type and region, anomaly drivers") { db in
            try db.execute(
                sql: """
                    ALTER TABLE billing_daily ADD COLUMN parts TEXT NOT NULL DEFAULT '[]';
                    ALTER TABLE billing_anomalies ADD COLUMN driver TEXT;
                    """)
        }
        migrator.registerMigration("v4: alert delivery outbox") { db in
            try db.execute(
                sql: """
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
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (date, hour, domain_id, project_id, service_id, channel)
                    );
                    """)
        }
        migrator.registerMigration("v5: silences and feedback") { db in
            try db.execute(
                sql: """
                    CREATE TABLE alert_silences (
                        id TEXT PRIMARY KEY,
                        matchers TEXT NOT NULL,
                        until TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE anomaly_feedback (
                        date TEXT NOT NULL,
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        verdict TEXT NOT NULL,
                        note TEXT,
                        recorded_at TEXT NOT NULL,
                        PRIMARY KEY (date, domain_id, project_id, service_id)
                    );
                    """)
        }
        migrator.registerMigration("v6: anomaly rarity") { db in
            try db.execute(
                sql: """
                    ALTER TABLE billing_anomalies ADD COLUMN rarity_days INTEGER;
                    ALTER TABLE billing_anomalies ADD COLUMN rarity_history_days INTEGER;
                    """)
        }
        migrator.registerMigration("v7: each service's daily total, daily costs by key") { db in
            try db.execute(
                sql: """
                    CREATE TABLE billing_daily_service (
                        date TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        service_name TEXT NOT NULL,
                        expect_amount TEXT NOT NULL,
                        key_count INTEGER NOT NULL,
                        PRIMARY KEY (date, service_id)
                    );
                    CREATE INDEX billing_daily_by_key ON billing_daily (domain_id, project_id, service_id, date);
                    """)
            let days = try String.fetchAll(db, sql: "SELECT DISTINCT date FROM billing_daily").compactMap(CalendarDay.init)
            try SQLiteStore.refreshServiceTotals(of: days, in: db)
        }
        migrator.registerMigration("v8: each day's top movers") { db in
            try db.execute(
                sql: """
                    CREATE TABLE billing_daily_movers (
                        date TEXT NOT NULL,
                        rank INTEGER NOT NULL,
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        domain_name TEXT NOT NULL,
                        project_name TEXT NOT NULL,
                        service_name TEXT NOT NULL,
                        expect_amount TEXT NOT NULL,
                        usual REAL NOT NULL,
                        PRIMARY KEY (date, rank)
                    );
                    """)
        }
        migrator.registerMigration("v9: compact cost history") { db in
            // Each key numbered once, and every day's amount by number: what the jobs read of history,
            // without the names, lists and parts of billing_daily's wide rows. Amounts are doubles (for
            // statistics only); billing_daily keeps the exact ones. The checks keep a value of the wrong
            // kind out, since the jobs read these columns as numbers without looking.
            try db.execute(
                sql: """
                    CREATE TABLE billing_keys (
                        id INTEGER PRIMARY KEY,
                        domain_id TEXT NOT NULL,
                        project_id TEXT NOT NULL,
                        service_id TEXT NOT NULL,
                        UNIQUE (domain_id, project_id, service_id)
                    );
                    CREATE TABLE billing_history (
                        day INTEGER NOT NULL CHECK (typeof(day) = 'integer'),
                        key_id INTEGER NOT NULL REFERENCES billing_keys (id),
                        amount REAL NOT NULL CHECK (typeof(amount) = 'real'),
                        is_anomaly INTEGER NOT NULL CHECK (is_anomaly IN (0, 1)),
                        PRIMARY KEY (day, key_id)
                    ) WITHOUT ROWID;
                    INSERT INTO billing_keys (domain_id, project_id, service_id)
                        SELECT DISTINCT domain_id, project_id, service_id FROM billing_daily ORDER BY domain_id, project_id, service_id;
                    """)
            // The amounts as the store writes them from now on (ExactDecimal's double), not SQLite's own
            // conversion of the text.
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT d.date, k.id, d.expect_amount, d.is_anomaly FROM billing_daily d
                    JOIN billing_keys k ON k.domain_id = d.domain_id AND k.project_id = d.project_id AND k.service_id = d.service_id
                    """)
            let insert = try db.makeStatement(sql: "INSERT INTO billing_history (day, key_id, amount, is_anomaly) VALUES (?, ?, ?, ?)")
            let names = ["date", "key_id", "expect_amount", "is_anomaly"]
            while let row = try rows.next() {
                let columns = IndexedColumns(row: row, names: names)
                let date = try columns.text(0), amount = try columns.text(2)
                guard let day = CalendarDay(date) else { throw columns.corrupt(0, value: date) }
                guard let exact = ExactDecimal(amount) else { throw columns.corrupt(2, value: amount) }
                try insert.execute(arguments: [day.daysSinceEpoch, row[1] as Int64, exact.doubleValue, try columns.bool(3)])
            }
        }
        return migrator
    }
}
