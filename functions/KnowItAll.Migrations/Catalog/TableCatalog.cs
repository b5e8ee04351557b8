using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>Tables (with their storage, row-security and partitioning) and their columns.</summary>
internal static class TableCatalog
{
    // Only what the statistics say about rows: the heap size opens the table (an ACCESS SHARE lock and a file stat each,
    // most of this query's time at 1,000 tables), so it is asked later, for the tables a plan's change depends on.
    public const string Tables = """
        SELECT c.relname,
               c.relpages > 0 OR c.reltuples > 0,
               c.relpersistence::text, c.relrowsecurity, c.relforcerowsecurity, coalesce(c.reloptions, '{}'),
               CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
               pc.relname, CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
               c.relreplident::text,
               CASE WHEN c.relreplident = 'i' THEN (SELECT ri.relname FROM pg_index x JOIN pg_class ri ON ri.oid = x.indexrelid
                                                    WHERE x.indrelid = c.oid AND x.indisreplident) END,
               CASE WHEN NOT c.relispartition AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid) THEN
                   (SELECT array_agg(CASE WHEN p.relnamespace = c.relnamespace THEN quote_ident(p.relname)
                                          ELSE quote_ident(p.relnamespace::regnamespace::text) || '.' || quote_ident(p.relname) END
                                     ORDER BY i.inhseqno)
                    FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid) END
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_inherits h ON c.relispartition AND h.inhrelid = c.oid
        LEFT JOIN pg_class pc ON pc.oid = h.inhparent
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
        ORDER BY c.relname
        """;

    // A partition's columns are its parent's: it is created with PARTITION OF and never altered column by column. So are the
    // columns an inheritance child only inherits (not attislocal): they come and change with the parent.
    // An identity's sequence options are looked up for identity columns only (the CASE skips the sub-select for the rest).
    // Not sorted here: the server sorting every column of the schema is on the critical path; each table's few are put
    // in attnum order as they are read.
    public const string Columns = """
        SELECT c.relname, a.attname, a.attnum::int, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
               CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
               CASE WHEN a.attidentity <> '' THEN
                   (SELECT ARRAY[s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle::int]
                    FROM pg_depend sd JOIN pg_sequence s ON s.seqrelid = sd.objid
                    WHERE sd.refclassid = 'pg_class'::regclass AND sd.refobjid = a.attrelid AND sd.refobjsubid = a.attnum
                      AND sd.classid = 'pg_class'::regclass AND sd.deptype = 'i') END
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND a.attislocal
        """;

    public static async Task<List<TableModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var tables = new List<TableModel>();
        while (await reader.ReadAsync(ct))
        {
            tables.Add(new TableModel(reader.GetString(0), [], reader.GetBoolean(1))
            {
                Persistence = reader.GetString(2)[0],
                RowSecurity = reader.GetBoolean(3),
                ForceRowSecurity = reader.GetBoolean(4),
                // In the order they were given: a table is created with them in that order, as a direct load would.
                Options = reader.GetFieldValue<string[]>(5),
                PartitionKey = reader.IsDBNull(6) ? null : reader.GetString(6),
                PartitionOf = reader.IsDBNull(7) ? null : reader.GetString(7),
                PartitionBound = reader.IsDBNull(8) ? null : reader.GetString(8),
                ReplicaIdentity = reader.GetString(9)[0],
                ReplicaIdentityIndex = reader.IsDBNull(10) ? null : reader.GetString(10),
                Inherits = reader.IsDBNull(11) ? [] : reader.GetFieldValue<string[]>(11),
            });
        }
        return tables;
    }

    public static async Task<Dictionary<string, List<ColumnModel>>> ReadColumnsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var columns = new Dictionary<string, List<ColumnModel>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (!columns.TryGetValue(table, out var list)) columns[table] = list = [];
            list.Add(new ColumnModel(
                Name: reader.GetString(1),
                Ordinal: reader.GetInt32(2),
                Type: reader.GetString(3),
                NotNull: reader.GetBoolean(4),
                Default: reader.IsDBNull(5) ? null : ExplicitDefault(reader.GetString(5)),
                Identity: Flag(reader.GetString(6)),
                Generated: Flag(reader.GetString(7)),
                Collation: reader.IsDBNull(8) ? null : reader.GetString(8))
            {
                IdentityOptions = reader.IsDBNull(9) ? null : Options(reader.GetFieldValue<long[]>(9)),
            });
        }
        foreach (var list in columns.Values) list.Sort((a, b) => a.Ordinal.CompareTo(b.Ordinal));
        return columns;
    }

    /// <summary>DEFAULT NULL is stored as an expression but means no default; both sides read it as none.</summary>
    private static string? ExplicitDefault(string expression) =>
        expression == "NULL" || expression.StartsWith("NULL::", StringComparison.Ordinal) ? null : expression;

    private static IdentityOptions Options(long[] o) => new(o[0], o[1], o[2], o[3], o[4], o[5] != 0);

    private static char Flag(string value) => value.Length == 0 ? '\0' : value[0];
}
