import GRDB
import Store

/// The registry's tables. Migrations are named and append-only: a released one is never edited.
///
/// - `entities`, `entity_history`: the current record of each entity and every version it had.
/// - `journal`: every `JournalEntry` of the holdings ledger, the ledger's truth (replayed at start).
/// - `holdings`: per entity and instrument, the balances the journal implies (written in the
///   same transaction as the entries, for the read side).
/// - `registry_meta`: the current trading day (what `acquiredToday` is relative to).
/// - `order_guards`: sell orders the registry must never freeze (freeze refused, or matching
///   closed the order before its `SubmitOrder` reached the registry).
/// - `unit_outputs`, `allocations`: allocation inputs and what was issued per entity, year, phase.
/// - `verified_emissions`, `surrenders`, `compliance_assessments`: compliance.
enum RegistrySchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("registry-entities-v1") { db in
            try db.execute(sql: """
                CREATE TABLE entities (
                    entityId TEXT PRIMARY KEY NOT NULL,
                    profile BLOB NOT NULL,
                    status TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    registeredAt INTEGER NOT NULL,
                    updatedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE entity_history (
                    entityId TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    change TEXT NOT NULL,
                    profile BLOB NOT NULL,
                    changedAt INTEGER NOT NULL,
                    causationId TEXT NOT NULL,
                    PRIMARY KEY (entityId, version)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("registry-entity-reason-v1") { db in
            try db.execute(sql: "ALTER TABLE entity_history ADD COLUMN reason TEXT")
        }
        migrator.registerMigration("registry-ledger-v1") { db in
            try db.execute(sql: """
                CREATE TABLE journal (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    debitKind TEXT NOT NULL,
                    debitOwner TEXT NOT NULL,
                    creditKind TEXT NOT NULL,
                    creditOwner TEXT NOT NULL,
                    instrument TEXT NOT NULL,
                    quantity INTEGER NOT NULL CHECK (quantity > 0),
                    reference TEXT NOT NULL,
                    orderId TEXT,
                    tradingDay TEXT,
                    recordedAt INTEGER NOT NULL,
                    causationId TEXT NOT NULL
                );
                CREATE INDEX journal_debit_owner ON journal(debitOwner, seq);
                CREATE INDEX journal_credit_owner ON journal(creditOwner, seq);
                CREATE UNIQUE INDEX journal_one_transfer_per_trade ON journal(reference) WHERE kind = 'transfer';
                CREATE UNIQUE INDEX journal_one_freeze_per_order ON journal(orderId) WHERE kind = 'freeze';
                CREATE TABLE holdings (
                    entityId TEXT NOT NULL,
                    instrument TEXT NOT NULL,
                    held INTEGER NOT NULL CHECK (held >= 0),
                    frozen INTEGER NOT NULL CHECK (frozen >= 0 AND frozen <= held),
                    acquiredToday INTEGER NOT NULL CHECK (acquiredToday >= 0),
                    retired INTEGER NOT NULL CHECK (retired >= 0),
                    PRIMARY KEY (entityId, instrument)
                ) WITHOUT ROWID;
                CREATE TABLE registry_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE order_guards (
                    orderId TEXT PRIMARY KEY NOT NULL,
                    accountId TEXT NOT NULL,
                    state TEXT NOT NULL,
                    code TEXT,
                    reason TEXT,
                    at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("registry-allocation-v1") { db in
            try db.execute(sql: """
                CREATE TABLE unit_outputs (
                    entityId TEXT NOT NULL,
                    unitId TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    electricityMWh INTEGER NOT NULL,
                    heatGJ INTEGER NOT NULL,
                    loadRate TEXT NOT NULL,
                    heatSupplyRatio TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    recordedAt INTEGER NOT NULL,
                    causationId TEXT NOT NULL,
                    PRIMARY KEY (entityId, year, unitId)
                ) WITHOUT ROWID;
                CREATE INDEX unit_outputs_year ON unit_outputs(year);
                CREATE TABLE allocations (
                    entityId TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    phase TEXT NOT NULL,
                    referenceYear INTEGER NOT NULL,
                    quantity INTEGER NOT NULL,
                    holdingChange INTEGER NOT NULL,
                    rulesVersion TEXT NOT NULL,
                    detail BLOB NOT NULL,
                    allocatedAt INTEGER NOT NULL,
                    causationId TEXT NOT NULL,
                    PRIMARY KEY (entityId, year, phase)
                ) WITHOUT ROWID;
                CREATE INDEX allocations_year ON allocations(year, phase);
                """)
        }
        migrator.registerMigration("registry-compliance-v1") { db in
            try db.execute(sql: """
                CREATE TABLE verified_emissions (
                    entityId TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    tonnes INTEGER NOT NULL,
                    revision INTEGER NOT NULL,
                    recordedAt INTEGER NOT NULL,
                    causationId TEXT NOT NULL,
                    PRIMARY KEY (entityId, year)
                ) WITHOUT ROWID;
                CREATE TABLE surrenders (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    entityId TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    instrument TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    commandId TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX surrenders_entity_year ON surrenders(entityId, year);
                CREATE TABLE compliance_assessments (
                    entityId TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    assessment BLOB NOT NULL,
                    assessedAt INTEGER NOT NULL,
                    causationId TEXT NOT NULL,
                    PRIMARY KEY (entityId, year)
                ) WITHOUT ROWID;
                """)
        }
        // Offsets (`IssueOffsets`): an issuance id credits an entity once. The ledger refuses a
        // repeat in memory; this index makes the journal refuse it too, as it does for trades.
        migrator.registerMigration("registry-offset-issuance-v1") { db in
            try db.execute(sql: """
                CREATE UNIQUE INDEX journal_one_issue_per_reference ON journal(debitOwner, instrument, reference)
                    WHERE kind = 'issue'
                """)
        }
        // The whole holdings ledger as each trading day starts (`HoldingsLedgerSnapshot`): a restart
        // replays only the journal after it. A store that predates the table replays its whole
        // journal until its next trading day.
        migrator.registerMigration("registry-ledger-snapshot-v1") { db in
            try LedgerSnapshotTable.create(db)
        }
    }
}
