import GRDB
import Store

/// Settlement's tables, written in the runtime's batch transaction together with the inbox,
/// outbox and offsets (DESIGN.md section 3).
///
/// - `journal`: every `FundsEntry`, the ledger's truth; `restore` replays it after the ledger
///   snapshot.
/// - `settlement_state`: the current trading day and the exchange account ids of the journal.
/// - `accounts`, `exchange_accounts`, `reservations`: the balance sheet as stored, kept equal to
///   the ledger after every input; the read side serves them and the end-of-day reconciliation
///   checks them against the journal.
/// - `order_guards`: buy orders not to reserve for (again): refused ones, and ones matching
///   closed before their `SubmitOrder` reached settlement.
/// - `trades`: each trade's two legs (the tracker's rows) and what `TradeExecuted` said.
/// - `alarms`, `open_sessions`, `reconciliations`, `reconciliation_awaits`: the end of day and
///   what an operator must see.
/// - `journal_checkpoint`, `journal_checkpoint_balances`: the journal folded up to the last
///   day closed (`JournalCheckpoint`), so that closing the next day reads only its entries.
/// - `ledger_snapshot`: the whole ledger at the last day closed (`LedgerSnapshot`), so that a
///   restart replays only the journal after it.
enum SettlementSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("settlement-v1") { db in
            try db.execute(sql: """
                CREATE TABLE settlement_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    tradingDay TEXT,
                    feeAccountId TEXT NOT NULL,
                    clearingAccountId TEXT NOT NULL
                );
                CREATE TABLE journal (
                    seq INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    participant TEXT NOT NULL,
                    debitKind TEXT NOT NULL,
                    debitOwner TEXT NOT NULL,
                    debitOrder TEXT,
                    creditKind TEXT NOT NULL,
                    creditOwner TEXT NOT NULL,
                    creditOrder TEXT,
                    amount INTEGER NOT NULL CHECK (amount > 0),
                    reference TEXT NOT NULL,
                    tradingDay TEXT,
                    quantity INTEGER,
                    price INTEGER,
                    feePpm INTEGER,
                    recordedAt INTEGER NOT NULL,
                    causationId TEXT NOT NULL
                );
                CREATE INDEX journal_participant ON journal(participant, seq);
                CREATE TABLE accounts (
                    accountId TEXT PRIMARY KEY NOT NULL,
                    available INTEGER NOT NULL,
                    reserved INTEGER NOT NULL,
                    proceedsToday INTEGER NOT NULL,
                    withdrawable INTEGER NOT NULL,
                    bank INTEGER NOT NULL,
                    updatedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX accounts_proceeds ON accounts(accountId) WHERE proceedsToday != 0;
                CREATE TABLE exchange_accounts (
                    accountId TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    balance INTEGER NOT NULL,
                    updatedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE reservations (
                    orderId TEXT PRIMARY KEY NOT NULL,
                    accountId TEXT NOT NULL,
                    quantity INTEGER NOT NULL,
                    limitPrice INTEGER NOT NULL,
                    feePpm INTEGER NOT NULL,
                    filled INTEGER NOT NULL,
                    amount INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    closedBy TEXT,
                    tradingDay TEXT,
                    updatedAt INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX reservations_open ON reservations(accountId) WHERE status = 'open';
                CREATE TABLE order_guards (
                    orderId TEXT PRIMARY KEY NOT NULL,
                    accountId TEXT NOT NULL,
                    state TEXT NOT NULL,
                    code TEXT,
                    reason TEXT NOT NULL,
                    at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE trades (
                    tradeId TEXT PRIMARY KEY NOT NULL,
                    buyOrderId TEXT,
                    sellOrderId TEXT,
                    buyerAccountId TEXT,
                    sellerAccountId TEXT,
                    quantity INTEGER,
                    price INTEGER,
                    tradingDay TEXT,
                    value INTEGER,
                    buyerFee INTEGER,
                    sellerFee INTEGER,
                    fundsAt INTEGER,
                    fundsRefusal TEXT,
                    allowancesAt INTEGER,
                    allowanceFrom TEXT,
                    allowanceTo TEXT,
                    allowanceQuantity INTEGER,
                    waitingSince INTEGER,
                    settled INTEGER NOT NULL DEFAULT 0,
                    alarmed INTEGER NOT NULL DEFAULT 0,
                    settledAt INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX trades_waiting ON trades(waitingSince) WHERE settled = 0 AND alarmed = 0;
                CREATE TABLE alarms (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    alarmId TEXT NOT NULL UNIQUE,
                    code TEXT NOT NULL,
                    tradeId TEXT,
                    tradingDay TEXT,
                    missingLeg TEXT,
                    since INTEGER,
                    waitedMilliseconds INTEGER,
                    difference INTEGER,
                    accountId TEXT,
                    reason TEXT NOT NULL,
                    raisedAt INTEGER NOT NULL
                );
                CREATE TABLE open_sessions (
                    instrument TEXT PRIMARY KEY NOT NULL,
                    tradingDay TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE reconciliations (
                    tradingDay TEXT PRIMARY KEY NOT NULL,
                    status TEXT NOT NULL,
                    statements INTEGER NOT NULL,
                    closedAt INTEGER NOT NULL,
                    deadline INTEGER,
                    completedAt INTEGER,
                    report TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE reconciliation_awaits (
                    tradeId TEXT PRIMARY KEY NOT NULL,
                    tradingDay TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX reconciliation_awaits_day ON reconciliation_awaits(tradingDay);
                """)
        }
        migrator.registerMigration("settlement-v2-journal-checkpoint") { db in
            // An empty checkpoint (sequence 0) is the same as none: a store that predates this
            // table closes its next day from the whole journal and stores its first checkpoint.
            try db.execute(sql: """
                CREATE TABLE journal_checkpoint (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    sequence INTEGER NOT NULL CHECK (sequence >= 0),
                    latestDay TEXT,
                    deposited INTEGER NOT NULL,
                    withdrawn INTEGER NOT NULL,
                    feesCharged INTEGER NOT NULL
                );
                CREATE TABLE journal_checkpoint_balances (
                    kind TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    orderId TEXT NOT NULL DEFAULT '',
                    amount INTEGER NOT NULL CHECK (amount != 0),
                    PRIMARY KEY (kind, owner, orderId)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("settlement-v3-ledger-snapshot") { db in
            // A store that predates this table replays its whole journal until its next close.
            try LedgerSnapshotTable.create(db)
        }
    }
}
