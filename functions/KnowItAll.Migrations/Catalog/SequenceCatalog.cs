using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

internal static class SequenceCatalog
{
    // Identity sequences belong to their column and are created with it, so they are left out.
    public const string Query = """
        SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
               ot.relname, oa.attname
        FROM pg_sequence s
        JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                             AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'
        LEFT JOIN pg_class ot ON ot.oid = d.refobjid
        LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
        WHERE n.nspname = $1
          AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid AND i.deptype = 'i')
        ORDER BY c.relname
        """;

    public static async Task<List<SequenceModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var sequences = new List<SequenceModel>();
        while (await reader.ReadAsync(ct))
            sequences.Add(new SequenceModel(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetBoolean(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9)
                ? null : reader.GetString(9)));
        return sequences;
    }
}
