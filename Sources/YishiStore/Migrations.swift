import GRDB
import YishiMerge
import YishiTrust

/// The replica's tables. Everything derived (tallies, overdue flags, display winners) is
/// computed at read time; what is stored is exactly the merge state plus bookkeeping.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                -- Per scope and origin replica, how many ops are applied: the context of a local
                -- edit in that scope. The version vector is the maximum over scopes; it is not
                -- stored separately because every table a write touches costs a page in the WAL.
                CREATE TABLE scope_clock (
                    scope TEXT NOT NULL, replica TEXT NOT NULL, counter INTEGER NOT NULL,
                    PRIMARY KEY (scope, replica)) WITHOUT ROWID;
                -- Every op received, applied or held; its text lives in the journal.
                CREATE TABLE op (
                    replica TEXT NOT NULL, counter INTEGER NOT NULL, lamport INTEGER NOT NULL,
                    scope TEXT NOT NULL, record TEXT NOT NULL, field TEXT NOT NULL,
                    hash BLOB NOT NULL, journal_offset INTEGER NOT NULL, journal_length INTEGER NOT NULL,
                    applied INTEGER NOT NULL,
                    PRIMARY KEY (replica, counter)) WITHOUT ROWID;
                -- Ops waiting for their dependencies, with their text so they apply without the journal.
                CREATE TABLE held (replica TEXT NOT NULL, counter INTEGER NOT NULL, line TEXT NOT NULL,
                    PRIMARY KEY (replica, counter)) WITHOUT ROWID;
                CREATE TABLE field (record TEXT NOT NULL, field TEXT NOT NULL, kind TEXT NOT NULL,
                    scope TEXT NOT NULL, PRIMARY KEY (record, field)) WITHOUT ROWID;
                -- The surviving values at each key of each field (see YishiMerge.Effect).
                CREATE TABLE value (
                    record TEXT NOT NULL, field TEXT NOT NULL, key TEXT NOT NULL,
                    replica TEXT NOT NULL, counter INTEGER NOT NULL, idx INTEGER NOT NULL,
                    lamport INTEGER NOT NULL, author TEXT NOT NULL, wall INTEGER NOT NULL,
                    content TEXT, rank INTEGER NOT NULL, branch TEXT NOT NULL,
                    PRIMARY KEY (record, field, key, replica, counter, idx)) WITHOUT ROWID;
                -- The sentence tree of text fields.
                CREATE TABLE segment (
                    record TEXT NOT NULL, field TEXT NOT NULL,
                    replica TEXT NOT NULL, counter INTEGER NOT NULL, idx INTEGER NOT NULL,
                    parent TEXT NOT NULL, lamport INTEGER NOT NULL,
                    PRIMARY KEY (record, field, replica, counter, idx)) WITHOUT ROWID;
                -- Keys whose concurrent values disagree: what `yishi conflicts` lists.
                CREATE TABLE conflict (record TEXT NOT NULL, field TEXT NOT NULL, key TEXT NOT NULL,
                    PRIMARY KEY (record, field, key)) WITHOUT ROWID;
                -- How far the central has acknowledged this replica's own ops: the outbox is the rest.
                CREATE TABLE acknowledged (replica TEXT PRIMARY KEY, counter INTEGER NOT NULL) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v2-search") { db in
            // Derived from the merged state, so never journaled: records touched by an op
            // are marked stale when it applies (cheap, on the hot path) and re-indexed when
            // someone searches. `body` holds the words as SearchText tokenizes them.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE record_search USING fts5(record UNINDEXED, plain UNINDEXED, body);
                CREATE TABLE search_stale (record TEXT PRIMARY KEY) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3-arrivals") { db in
            // At the central node: the order ops arrived in, which is what a station's pull
            // cursor counts. Stations never fill it.
            try db.execute(sql: """
                CREATE TABLE arrival (seq INTEGER PRIMARY KEY AUTOINCREMENT, replica TEXT NOT NULL,
                    counter INTEGER NOT NULL, scope TEXT NOT NULL);
                CREATE INDEX arrival_by_scope ON arrival (scope, seq);
                """)
        }
        migrator.registerMigration("v4-list-order") { db in
            // Lists of topics are ordered by the day they were raised, newest first. A partial
            // index holds just those values (one per topic), so a page of ten thousand topics
            // is read in order without sorting them all, at almost no cost to writes.
            try db.execute(sql: "CREATE INDEX value_list_order ON value (content, record) WHERE field = 'raisedOn' AND key = ''")
        }
        migrator.registerMigration("v5-records-by-scope") { db in
            // The central holds a whole district: one community's records are read through
            // this index instead of every community's. A record's fields are inserted once,
            // so writes hardly notice it.
            try db.execute(sql: "CREATE INDEX field_by_scope ON field (scope, record)")
        }
        migrator.registerMigration("v6-search-rows") { db in
            // Which row of the full-text table holds a record's words: the table's own
            // `record` column is not indexed, so replacing a record's words by it read the
            // whole table each time, which a district's hundreds of thousands cannot afford.
            try db.execute(sql: """
                CREATE TABLE search_row (record TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO search_row (record, row) SELECT record, rowid FROM record_search;
                """)
        }
        migrator.registerMigration("v7-search-records") { db in
            // The full-text table's rows, keyed by row number, with each record's community:
            // a search maps the rows that match to records without reading the rows' stored
            // text (a district's word can match fifteen thousand topics), and keeps to one
            // community before any record is looked up. It replaces v6's `search_row`.
            try db.execute(sql: """
                CREATE TABLE search_record (row INTEGER PRIMARY KEY, record TEXT NOT NULL UNIQUE, scope TEXT NOT NULL);
                INSERT INTO search_record (row, record, scope)
                    SELECT s.row, s.record, coalesce((SELECT f.scope FROM field f WHERE f.record = s.record LIMIT 1), '') FROM search_row s;
                CREATE INDEX search_record_by_scope ON search_record (scope, row);
                DROP TABLE search_row;
                """)
        }
        migrator.registerMigration("v8-chains") { db in
            // Every op's place in its origin's hash chain (YishiTrust.OriginChain), and the
            // checkpoints and anchors that vouch for runs of them (see `ChainLine`). Ops this
            // replica took before signatures get their heads here, from each origin's first op
            // on; an op after a gap gets its head when the gap is filled (`fillChains`). The
            // box's own ops up to now were written before it signed: `legacy_through` says so
            // to the central with its first signed push (KeyDirectory.Legacy).
            try db.execute(sql: """
                ALTER TABLE op ADD COLUMN chain BLOB;
                CREATE INDEX op_chain_missing ON op (replica, counter) WHERE chain IS NULL;
                CREATE TABLE chain_point (origin TEXT NOT NULL, counter INTEGER NOT NULL, key TEXT NOT NULL,
                    head BLOB NOT NULL, signature BLOB, PRIMARY KEY (origin, counter, key)) WITHOUT ROWID;
                """)
            try OpApplier.fillChains(db)
            if let own = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica'") {
                let counter = try Int64.fetchOne(db, sql: "SELECT max(counter) FROM op WHERE replica = ?", arguments: [own]) ?? 0
                try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('legacy_through', ?)", arguments: [String(counter)])
            }
        }
        return migrator
    }
}
