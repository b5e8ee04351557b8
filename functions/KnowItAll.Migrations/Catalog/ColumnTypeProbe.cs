using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Planning;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Asks PostgreSQL what each column type or collation change of a diff would cost instead of guessing from type names:
/// the change is made to an empty TEMP copy of the table (LIKE ... INCLUDING ALL: its checks, defaults, generated columns,
/// identity and indexes) in a transaction that is always rolled back. A rewrite gives the copy a new relfilenode, a rebuilt
/// index a new one too; a check, default or generated column that does not fit the new type makes PostgreSQL refuse, as it
/// would at apply. What the copy cannot show is read from the catalog: rules, policies and triggers on the column, and views
/// the plan does not drop around the change (PostgreSQL refuses the change); foreign keys over the column (re-added: declared
/// between empty TEMP tables of the types the plan leaves, they must hold); and a domain's constraints (every row is checked).
/// The copy takes ACCESS SHARE on the
/// live table (to read its definition), within the lock timeout, and writes nothing shared.
/// </summary>
internal static class ColumnTypeProbe
{
    public static async Task ProbeAsync(NpgsqlConnection connection, string schema, SchemaDiff diff, TimeSpan lockTimeout, CancellationToken ct)
    {
        if (diff.ColumnTypes.Count == 0) return;
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, tx, $"SET LOCAL search_path = pg_catalog; SET LOCAL lock_timeout = {(long)lockTimeout.TotalMilliseconds}", ct);
        // A column may be retyped to a type the same plan creates: it is created here first, and rolled back with the rest.
        foreach (var sql in NewTypes(schema, diff)) await ExecuteAsync(connection, tx, sql, ct);
        for (var n = 0; n < diff.ColumnTypes.Count; n++)
        {
            var change = diff.ColumnTypes[n];
            diff.ColumnTypes[n] =
                change with { Effect = await ProbeAsync(connection, tx, schema, change, diff, n, ct) };
        }
        await tx.RollbackAsync(ct);
    }

    private static async Task<ColumnTypeEffect> ProbeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string schema, ColumnTypeChange change,
        SchemaDiff diff, int n, CancellationToken ct)
    {
        var table = Identifier.Qualify(schema, change.Table.Name);
        var dependents = await DependentsAsync(connection, tx, table, change.Live.Name, [.. diff.DroppedViews.Select(v => v.Name)], ct);
        if (dependents.Count > 0)
            return Refused(
                $"{string.Join(", ", dependents)} {(dependents.Count == 1 ? "uses" : "use")} the column, and PostgreSQL does not change the type " +
                "of a column in use by a view, rule, policy or trigger (a view is dropped and created again around the change only when " +
                "schema/ names it and every view that reads it, and nothing else depends on them)");

        var copy = Identifier.Quote("knowitall_probe_" + n);
        var before = ColumnAlterationPlanner.DropsDefaultFirst(diff, change)
            ? $"ALTER TABLE pg_temp.{copy} ALTER COLUMN {Identifier.Quote(change.Live.Name)} DROP DEFAULT; " : "";
        if (change.Live.Identity != '\0' && change.Desired.Identity == '\0')
            before += $"ALTER TABLE pg_temp.{copy} ALTER COLUMN {Identifier.Quote(change.Live.Name)} DROP IDENTITY IF EXISTS; ";
        var setup = $"CREATE TEMP TABLE {copy} (LIKE {table} INCLUDING ALL); {before}";
        var needsUsing = false;
        string? refusal = null;
        IReadOnlyDictionary<string, long> storage = new Dictionary<string, long>();
        IReadOnlyDictionary<string, long> after = storage;
        foreach (var usingCast in new[] { false, true })
        {
            await ExecuteAsync(connection, tx, "SAVEPOINT knowitall_probe", ct);
            try
            {
                await ExecuteAsync(connection, tx, setup, ct);
                storage = await StorageAsync(connection, tx, copy, ct);
                await ExecuteAsync(connection, tx, $"ALTER TABLE pg_temp.{copy} {ColumnAlterationPlanner.TypeClause(change, usingCast)}", ct);
                after = await StorageAsync(connection, tx, copy, ct);
                needsUsing = usingCast;
                refusal = null;
                break;
            }
            catch (PostgresException e) when (e.SqlState == "42804" && !usingCast)
            {
                // No assignment cast: the type change needs USING, tried next.
                refusal = e.MessageText;
            }
            catch (PostgresException e) when (e.SqlState is not ("55P03" or "57014"))
            {
                refusal = e.MessageText;
                break;
            }
            finally
            {
                await ExecuteAsync(connection, tx, "ROLLBACK TO SAVEPOINT knowitall_probe", ct);
            }
        }
        if (refusal is not null) return Refused($"PostgreSQL refuses it: {refusal}");

        var rewrites = after.GetValueOrDefault("") != storage.GetValueOrDefault("");
        // A copy has no foreign keys: PostgreSQL re-adds each key over the column, and refuses it when the two sides' types (as the plan
        // leaves them by this change) cannot be compared by the key's index.
        var keys = await ForeignKeysOnAsync(connection, tx, table, change.Live.Name, ct);
        foreach (var key in keys)
            if (await KeyRefusalAsync(connection, tx, schema, key, diff, n, ct) is { } why)
                return Refused($"foreign key {key.Name} on {key.Table} would not hold once the type changes: PostgreSQL refuses {why}");
        // A rewrite rebuilds every index of the table (said with the rewrite); without one, those on the column may be rebuilt.
        var rebuilt = !rewrites && storage.Keys.Any(k => k.Length > 0 && after.GetValueOrDefault(k) != storage[k]);
        return new ColumnTypeEffect(
            Rewrites: rewrites,
            ChecksRows: !rewrites && change.Desired.Type != change.Live.Type && await ChecksDomainAsync(connection, tx, change.Desired.Type, ct),
            NeedsUsing: needsUsing,
            RebuiltIndexes: rebuilt ? await IndexesOnAsync(connection, tx, table, change.Live.Name, ct) : [],
            Refusal: null)
        {
            ForeignKeys = [.. keys.Select(k => $"{k.Name} on {k.Table}")],
        };
    }

    /// <summary>
    /// Why PostgreSQL would refuse <paramref name="key"/> once the changes of the plan up to the <paramref name="n"/>th are made (null when
    /// it holds): the key is declared between two empty TEMP tables of those column types.
    /// </summary>
    private static async Task<string?> KeyRefusalAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string schema, ForeignKey key,
        SchemaDiff diff, int n, CancellationToken ct)
    {
        string Planned(string keySchema, string table, string column, string type) =>
            keySchema != schema ? type
            : diff.ColumnTypes.Take(n + 1).LastOrDefault(c => c.Table.Name == table && c.Live.Name == column)?.Desired.Type ?? type;
        var columns = Enumerable.Range(0, key.Columns.Count).Select(i => Identifier.Quote("c" + i)).ToList();
        var list = string.Join(", ", columns);
        var referenced = string.Join(", ", key.Columns.Select((c, i) =>
            $"{columns[i]} {Planned(c.ReferencedSchema, c.ReferencedTable, c.ReferencedColumn, c.ReferencedType)}"));
        var referencing = string.Join(", ", key.Columns.Select((c, i) => $"{columns[i]} {Planned(c.Schema, c.Table, c.Column, c.Type)}"));
        await ExecuteAsync(connection, tx, "SAVEPOINT knowitall_key", ct);
        try
        {
            await ExecuteAsync(connection, tx,
                $"CREATE TEMP TABLE knowitall_key_pk ({referenced}, UNIQUE ({list})); " +
                $"CREATE TEMP TABLE knowitall_key_fk ({referencing}, FOREIGN KEY ({list}) REFERENCES pg_temp.knowitall_key_pk ({list}))", ct);
            return null;
        }
        catch (PostgresException e) when (e.SqlState is not ("55P03" or "57014"))
        {
            string Side(Func<KeyColumns, string> column, Func<KeyColumns, string> type) =>
                string.Join(", ", key.Columns.Select(c => $"{column(c)} {type(c)}"));
            return $"a key from {Side(c => $"{c.Table}.{c.Column}", c => Planned(c.Schema, c.Table, c.Column, c.Type))} to " +
                   $"{Side(c => $"{c.ReferencedTable}.{c.ReferencedColumn}",
                       c => Planned(c.ReferencedSchema, c.ReferencedTable, c.ReferencedColumn, c.ReferencedType))} [{e.SqlState}]";
        }
        finally
        {
            await ExecuteAsync(connection, tx, "ROLLBACK TO SAVEPOINT knowitall_key", ct);
        }
    }

    private static IEnumerable<string> NewTypes(string schema, SchemaDiff diff) =>
        diff.MissingEnums.Select(e => EnumPlanner.CreateSql(Identifier.Qualify(schema, e.Name), e))
            .Concat(diff.MissingDomains.Select(d => DomainPlanner.CreateSql(Identifier.Qualify(schema, d.Name), d)))
            .Concat(diff.MissingCompositeTypes.Select(t => CompositeTypePlanner.CreateSql(Identifier.Qualify(schema, t.Name), t)));

    private static ColumnTypeEffect Refused(string why) => new(false, false, false, [], why);

    /// <summary>The copy's relfilenode under "" and each of its indexes' under the index's name.</summary>
    private static async Task<IReadOnlyDictionary<string, long>> StorageAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string copy,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT '', relfilenode::bigint FROM pg_class WHERE oid = 'pg_temp.{copy}'::regclass
            UNION ALL
            SELECT c.relname, c.relfilenode::bigint FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
                WHERE x.indrelid = 'pg_temp.{copy}'::regclass
            """, connection, tx);
        var storage = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) storage[reader.GetString(0)] = reader.GetInt64(1);
        return storage;
    }

    /// <summary>What uses the column and stops its type change, but the views of the table's schema the plan drops around it.</summary>
    private static async Task<List<string>> DependentsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string column,
        string[] droppedViews, CancellationToken ct)
    {
        return await NamesAsync(connection, tx, """
            SELECT DISTINCT CASE WHEN d.classid = 'pg_rewrite'::regclass
                                 THEN (SELECT CASE v.relkind WHEN 'm' THEN 'materialized view ' WHEN 'v' THEN 'view ' ELSE 'rule on ' END || v.relname
                                       FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class WHERE r.oid = d.objid)
                                 ELSE pg_describe_object(d.classid, d.objid, 0) END
            FROM pg_depend d
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = to_regclass($1) AND a.attname = $2
              AND d.classid IN ('pg_rewrite'::regclass, 'pg_policy'::regclass, 'pg_trigger'::regclass)
              AND NOT EXISTS (SELECT 1 FROM pg_rewrite r JOIN pg_class v ON v.oid = r.ev_class JOIN pg_class t ON t.oid = d.refobjid
                              WHERE d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid AND r.rulename = '_RETURN'
                                AND v.relnamespace = t.relnamespace AND v.relname = ANY ($3))
            ORDER BY 1
            """, ct, table, column, droppedViews);
    }

    private static async Task<List<string>> IndexesOnAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string column,
        CancellationToken ct)
    {
        var names = await NamesAsync(connection, tx, """
            SELECT DISTINCT i.relname
            FROM pg_depend d
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            LEFT JOIN pg_constraint k ON d.classid = 'pg_constraint'::regclass AND k.oid = d.objid AND k.contype IN ('p', 'u', 'x')
            JOIN pg_class i ON i.oid = CASE WHEN d.classid = 'pg_class'::regclass THEN d.objid ELSE k.conindid END AND i.relkind IN ('i', 'I')
            WHERE d.classid IN ('pg_class'::regclass, 'pg_constraint'::regclass) AND d.refclassid = 'pg_class'::regclass
              AND d.refobjid = to_regclass($1) AND a.attname = $2
            ORDER BY 1
            """, ct, table, column);
        return names.Count > 0 ? names : ["an index on the column"];
    }

    /// <summary>The foreign keys the column is in, on either side, with each pair of columns and their types now.</summary>
    private static async Task<List<ForeignKey>> ForeignKeysOnAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, string column,
        CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT k.conname, k.conrelid::regclass::text, fn.nspname, fc.relname, fa.attname, format_type(fa.atttypid, fa.atttypmod),
                   pn.nspname, pc.relname, pa.attname, format_type(pa.atttypid, pa.atttypmod)
            FROM pg_constraint k
            JOIN pg_attribute a ON a.attrelid = to_regclass($1) AND a.attname = $2
            CROSS JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY AS u(fk, pk, n)
            JOIN pg_class fc ON fc.oid = k.conrelid JOIN pg_namespace fn ON fn.oid = fc.relnamespace
            JOIN pg_attribute fa ON fa.attrelid = k.conrelid AND fa.attnum = u.fk
            JOIN pg_class pc ON pc.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
            JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pk
            WHERE k.contype = 'f' AND (k.conrelid = a.attrelid AND a.attnum = ANY (k.conkey)
                OR k.confrelid = a.attrelid AND a.attnum = ANY (k.confkey))
            ORDER BY k.conname, k.oid, u.n
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        command.Parameters.Add(new NpgsqlParameter { Value = column });
        var keys = new List<ForeignKey>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (name, on) = (reader.GetString(0), reader.GetString(1));
            if (keys.Count == 0 || keys[^1].Name != name || keys[^1].Table != on) keys.Add(new ForeignKey(name, on, []));
            keys[^1].Columns.Add(new KeyColumns(reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetString(9)));
        }
        return keys;
    }

    private sealed record ForeignKey(string Name, string Table, List<KeyColumns> Columns);

    private sealed record KeyColumns(string Schema, string Table, string Column, string Type, string ReferencedSchema, string ReferencedTable,
        string ReferencedColumn, string ReferencedType);

    /// <summary>The first column of every row <paramref name="sql"/> gives for a table ($1) and one of its columns ($2).</summary>
    private static async Task<List<string>> NamesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct,
        params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>Whether <paramref name="type"/> is a domain with a constraint or NOT NULL (its own or a base domain's).</summary>
    private static async Task<bool> ChecksDomainAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string type, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            WITH RECURSIVE d AS (
                SELECT oid, typtype, typbasetype, typnotnull FROM pg_type WHERE oid = to_regtype($1)
                UNION ALL
                SELECT t.oid, t.typtype, t.typbasetype, t.typnotnull FROM pg_type t JOIN d ON t.oid = d.typbasetype WHERE d.typtype = 'd')
            SELECT EXISTS (SELECT 1 FROM d WHERE typtype = 'd' AND (typnotnull OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.contypid = d.oid)))
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = type });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
