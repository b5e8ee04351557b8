using System.Text.RegularExpressions;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Model;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// Turns a diff into ordered, additive, idempotent statements. Everything that can run in one transaction
/// does; what must not hold a lock for a table scan (index builds and constraint validation on tables with
/// rows) runs after it, on its own. Nothing here ever drops, rewrites a type, or deletes.
/// </summary>
public static partial class Planner
{
    public static MigrationPlan Plan(SchemaModel desired, string desiredFingerprint, SchemaModel live, SchemaDiff diff, MigrationOptions options)
    {
        var builder = new PlanBuilder(desired, live, diff, options.TargetSchema);
        var statements = builder.Build();
        return new MigrationPlan(
            Success: true,
            HasChanges: statements.Count > 0,
            TargetSchema: options.TargetSchema,
            PlanHash: PlanHasher.Hash(options.TargetSchema, statements),
            SchemaFingerprint: live.Fingerprint(),
            DesiredFingerprint: desiredFingerprint,
            Statements: statements,
            Summary: builder.Summary(),
            Drift: diff.Drift,
            DurationMs: 0);
    }

    private sealed class PlanBuilder(SchemaModel desired, SchemaModel live, SchemaDiff diff, string schema)
    {
        private readonly List<PlannedStatement> _inTransaction = [];
        private readonly List<PlannedStatement> _afterTransaction = [];
        private readonly HashSet<string> _newTables = diff.MissingTables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        private readonly List<string> _grants = [];

        public List<PlannedStatement> Build()
        {
            foreach (var e in diff.MissingExtensions)
                Add(ChangeKind.Extension, e.Name, $"CREATE EXTENSION IF NOT EXISTS {Quote(e.Name)} WITH SCHEMA {Quote(schema)}", LockLevel.None);

            foreach (var s in diff.MissingSequences)
                Add(ChangeKind.Sequence, s.Name,
                    $"CREATE SEQUENCE IF NOT EXISTS {Q(s.Name)} AS {s.DataType} INCREMENT BY {s.Increment} MINVALUE {s.MinValue} MAXVALUE {s.MaxValue} " +
                    $"START WITH {s.Start} CACHE {s.Cache}{(s.Cycle ? " CYCLE" : " NO CYCLE")}", LockLevel.None);

            foreach (var t in diff.MissingTables) AddTable(t);

            foreach (var s in diff.MissingSequences.Where(s => s.OwnedByTable is not null && s.OwnedByColumn is not null))
                Add(ChangeKind.SequenceOwner, s.Name, $"ALTER SEQUENCE {Q(s.Name)} OWNED BY {Q(s.OwnedByTable!)}.{Quote(s.OwnedByColumn!)}", LockLevel.None);

            foreach (var (table, column) in diff.MissingColumns) AddColumn(table, column);

            foreach (var c in diff.MissingConstraints.Where(c => c.Type != 'f' && !_newTables.Contains(c.Table))) AddConstraint(c);
            foreach (var c in diff.MissingConstraints.Where(c => c.Type == 'f')) AddForeignKey(c);
            foreach (var c in diff.UnvalidatedConstraints) AddValidation(c);

            foreach (var i in diff.MissingIndexes) AddIndex(i);

            AddGrants();

            var ordered = _inTransaction.Concat(_afterTransaction).Select((s, n) => s with { Order = n + 1 }).ToList();
            Guard(ordered);
            return ordered;
        }

        public PlanSummary Summary() => new(
            diff.MissingExtensions.Select(e => e.Name).ToList(),
            diff.MissingSequences.Select(s => s.Name).ToList(),
            diff.MissingTables.Select(t => t.Name).ToList(),
            diff.MissingColumns.Select(c => $"{c.Table.Name}.{c.Column.Name}").ToList(),
            diff.MissingIndexes.Select(i => i.Name).ToList(),
            diff.MissingConstraints.Select(c => $"{c.Table}.{c.Name}").ToList(),
            _grants);

        private void AddTable(TableModel t)
        {
            var parts = t.Columns.OrderBy(c => c.Ordinal).Select(ColumnSql)
                .Concat(desired.Constraints.Where(c => c.Table == t.Name && c.Type != 'f').Select(c => $"CONSTRAINT {Quote(c.Name)} {c.Definition}"));
            Add(ChangeKind.Table, t.Name, $"CREATE TABLE IF NOT EXISTS {Q(t.Name)} (\n    {string.Join(",\n    ", parts)}\n)", LockLevel.None);
        }

        private void AddColumn(TableModel table, ColumnModel c)
        {
            var name = $"{table.Name}.{c.Name}";
            var hazards = new List<Hazard>();
            if (table.HasRows)
            {
                if (c.NotNull && c.Default is null && c.Identity == '\0')
                    throw new MigrationException(MigrationErrors.UnsafeChange,
                        $"column {name} is NOT NULL without a default, but table {table.Name} has rows: adding it would fail. " +
                        "Give it a DEFAULT, or add it nullable, backfill, and make it NOT NULL in a later change.");
                hazards.Add(new Hazard(Hazard.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {table.Name}, which has rows (brief, bounded by lock_timeout)"));
                if (c.Identity != '\0' || c.Generated != '\0' || HasVolatileDefault(c))
                    hazards.Add(new Hazard(Hazard.TableRewrite, $"rewrites {table.Name}: the new column's value is computed for every row while the table is locked"));
            }
            Add(ChangeKind.Column, name, $"ALTER TABLE {Q(table.Name)} ADD COLUMN IF NOT EXISTS {ColumnSql(c)}", LockLevel.AccessExclusive, hazards);
        }

        private void AddConstraint(ConstraintModel c)
        {
            var name = $"{c.Table}.{c.Name}";
            var hasRows = HasRows(c.Table);
            if (!hasRows)
            {
                Add(ChangeKind.Constraint, name, AddConstraintSql(c, c.Definition), LockLevel.AccessExclusive);
                return;
            }
            if (c.Type == 'c')
            {
                Add(ChangeKind.Constraint, name, AddConstraintSql(c, c.Definition + " NOT VALID"), LockLevel.AccessExclusive,
                    [new Hazard(Hazard.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table}, which has rows (brief: no scan while NOT VALID)")]);
                AddValidation(c);
                return;
            }
            if (KeyColumns().Match(c.Definition) is { Success: true } key)
            {
                var unique = $"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {Quote(c.Name)} ON {Q(c.Table)} USING btree ({key.Groups["cols"].Value})";
                Add(ChangeKind.Index, c.Name, unique, LockLevel.ShareUpdateExclusive,
                    [new Hazard(Hazard.UniqueBuild, $"builds a unique index on {c.Table}, which has rows; concurrently, writes continue")], transactional: false);
                Add(ChangeKind.Constraint, name, AddConstraintSql(c, $"{key.Groups["kind"].Value} USING INDEX {Quote(c.Name)}"), LockLevel.AccessExclusive,
                    [new Hazard(Hazard.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table} briefly to attach the index")], transactional: false);
                return;
            }
            Add(ChangeKind.Constraint, name, AddConstraintSql(c, c.Definition), LockLevel.AccessExclusive,
            [
                new Hazard(Hazard.AccessExclusiveLock, $"takes an ACCESS EXCLUSIVE lock on {c.Table}, which has rows, for the whole build"),
                new Hazard(Hazard.UniqueBuild, $"builds an index over every row of {c.Table} while it is locked"),
            ]);
        }

        private void AddForeignKey(ConstraintModel c)
        {
            var name = $"{c.Table}.{c.Name}";
            if (_newTables.Contains(c.Table) || !HasRows(c.Table))
            {
                Add(ChangeKind.Constraint, name, AddConstraintSql(c, c.Definition), LockLevel.ShareRowExclusive);
                return;
            }
            Add(ChangeKind.Constraint, name, AddConstraintSql(c, c.Definition + " NOT VALID"), LockLevel.ShareRowExclusive,
                [new Hazard(Hazard.AccessExclusiveLock, $"blocks writes to {c.Table} and {c.ReferencedTable} briefly (no scan while NOT VALID)")]);
            AddValidation(c);
        }

        private void AddValidation(ConstraintModel c)
        {
            var hazard = c.Type == 'f'
                ? new Hazard(Hazard.ForeignKeyValidation, $"scans {c.Table} to check every row against {c.ReferencedTable}; reads and writes continue")
                : new Hazard(Hazard.CheckValidation, $"scans {c.Table} to check every row; reads and writes continue");
            Add(ChangeKind.Validate, $"{c.Table}.{c.Name}", $"ALTER TABLE {Q(c.Table)} VALIDATE CONSTRAINT {Quote(c.Name)}",
                LockLevel.ShareUpdateExclusive, [hazard], transactional: false);
        }

        private void AddIndex(IndexModel i)
        {
            var leftInvalid = live.Indexes.Any(l => l.Name == i.Name && !l.IsValid);
            if (!leftInvalid && (_newTables.Contains(i.Table) || !HasRows(i.Table)))
            {
                Add(ChangeKind.Index, i.Name, IndexSql(i.Definition, concurrently: false), LockLevel.Share);
                return;
            }
            Add(ChangeKind.Index, i.Name, IndexSql(i.Definition, concurrently: true), LockLevel.ShareUpdateExclusive,
                [new Hazard(Hazard.IndexBuild, $"builds an index over every row of {i.Table}; concurrently, writes continue")], transactional: false);
        }

        private void AddGrants()
        {
            foreach (var group in diff.MissingPrivileges
                         .GroupBy(p => (p.ObjectKind, p.ObjectName, p.Column, p.Grantee))
                         .OrderBy(g => g.Key.ObjectKind == "schema" ? 0 : 1)
                         .ThenBy(g => g.Key.ObjectName, StringComparer.Ordinal)
                         .ThenBy(g => g.Key.Column, StringComparer.Ordinal)
                         .ThenBy(g => g.Key.Grantee, StringComparer.Ordinal))
            {
                var (kind, objectName, column, grantee) = group.Key;
                var privileges = string.Join(", ", group.Select(p => p.Privilege).Distinct().Order(StringComparer.Ordinal));
                var target = kind switch
                {
                    "schema" => $"SCHEMA {Quote(objectName)}",
                    "sequence" => $"SEQUENCE {Q(objectName)}",
                    _ => $"TABLE {Q(objectName)}",
                };
                var columnList = column is null ? "" : $" ({Quote(column)})";
                var role = grantee == "PUBLIC" ? "PUBLIC" : Quote(grantee);
                var label = column is null ? $"{privileges} on {kind} {objectName} to {grantee}" : $"{privileges} ({column}) on table {objectName} to {grantee}";
                _grants.Add(label);
                Add(ChangeKind.Grant, label, $"GRANT {privileges}{columnList} ON {target} TO {role}", LockLevel.None);
            }
        }

        private string AddConstraintSql(ConstraintModel c, string definition) => $"""
            DO $knowitall$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = {Literal(Q(c.Table))}::regclass AND conname = {Literal(c.Name)}) THEN
                ALTER TABLE {Q(c.Table)} ADD CONSTRAINT {Quote(c.Name)} {definition};
              END IF;
            END $knowitall$
            """;

        private static string IndexSql(string definition, bool concurrently)
        {
            var at = definition.IndexOf("INDEX ", StringComparison.Ordinal);
            return definition[..at] + (concurrently ? "INDEX CONCURRENTLY IF NOT EXISTS " : "INDEX IF NOT EXISTS ") + definition[(at + "INDEX ".Length)..];
        }

        private static string ColumnSql(ColumnModel c)
        {
            var sql = $"{Quote(c.Name)} {c.Type}";
            if (c.Collation is not null) sql += $" COLLATE {Quote(c.Collation)}";
            sql += c.Identity switch
            {
                'a' => " GENERATED ALWAYS AS IDENTITY",
                'd' => " GENERATED BY DEFAULT AS IDENTITY",
                _ => "",
            };
            if (c.Generated == 's') sql += $" GENERATED ALWAYS AS ({c.Default}) STORED";
            else if (c.Default is not null) sql += $" DEFAULT {c.Default}";
            if (c.NotNull && c.Identity == '\0') sql += " NOT NULL";
            return sql;
        }

        private bool HasVolatileDefault(ColumnModel c) =>
            c.Default is not null && FunctionCall().Matches(c.Default).Any(m => live.VolatileFunctions.Contains(m.Groups[1].Value));

        private bool HasRows(string table) => live.Table(table)?.HasRows ?? false;

        private string Q(string name) => Qualify(schema, name);

        private void Add(string kind, string objectName, string sql, string lockLevel, IReadOnlyList<Hazard>? hazards = null, bool transactional = true) =>
            (transactional ? _inTransaction : _afterTransaction).Add(new PlannedStatement(0, kind, objectName, sql, lockLevel, transactional, hazards ?? []));

        /// <summary>The last line of defence: whatever the diff says, no statement of a plan may lose data.</summary>
        private static void Guard(IEnumerable<PlannedStatement> statements)
        {
            foreach (var s in statements)
                if (IsDestructive(s.Sql))
                    throw new MigrationException(MigrationErrors.UnsafeChange, $"refusing to plan a destructive statement for {s.ObjectName}: {s.Sql}");
        }
    }

    [GeneratedRegex(@"^(?<kind>UNIQUE|PRIMARY KEY) \((?<cols>[^()]+)\)$")]
    private static partial Regex KeyColumns();

    [GeneratedRegex(@"([a-z_][a-z0-9_]*)\s*\(")]
    private static partial Regex FunctionCall();

    internal static bool IsDestructive(string sql) => Destructive().IsMatch(QuotedText().Replace(sql, "_"));

    // Identifiers and literals may say anything ("DROP TABLE" included); only the SQL around them is judged.
    [GeneratedRegex("\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'")]
    private static partial Regex QuotedText();

    // FK actions such as ON DELETE CASCADE are definitions, not deletions, so words are matched with what follows them.
    [GeneratedRegex(@"\bDROP\s+(TABLE|COLUMN|INDEX|CONSTRAINT|SCHEMA|EXTENSION|SEQUENCE|DEFAULT|NOT\s+NULL|VIEW|TYPE|FUNCTION|OWNED|ROLE|IDENTITY|EXPRESSION)\b|\bTRUNCATE\b|\bDELETE\s+FROM\b|\bRENAME\b|\bREVOKE\b|\bALTER\s+COLUMN\b[^;]*\bTYPE\b|\bSET\s+DATA\s+TYPE\b", RegexOptions.IgnoreCase)]
    private static partial Regex Destructive();
}
