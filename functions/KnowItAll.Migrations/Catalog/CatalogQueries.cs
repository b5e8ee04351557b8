namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// One query per object kind, each for the whole schema ($1). They run with search_path = pg_catalog so
/// every type, default and definition comes back fully qualified and the same for the desired and live side.
/// </summary>
internal static class CatalogQueries
{
    // The heap size takes an ACCESS SHARE lock, so it is asked only for tables the statistics call empty.
    public const string Tables = """
        SELECT c.relname,
               CASE WHEN c.relpages > 0 OR c.reltuples > 0 THEN true ELSE pg_relation_size(c.oid) > 0 END
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
        ORDER BY c.relname
        """;

    public const string Columns = """
        SELECT c.relname, a.attname, a.attnum::int, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,
               CASE WHEN a.attcollation <> t.typcollation THEN co.collname END
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum
        """;

    public const string Indexes = """
        SELECT i.relname, t.relname, pg_get_indexdef(i.oid), x.indisunique, x.indisvalid
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND t.relkind IN ('r', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                          WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
        ORDER BY i.relname
        """;

    public const string Constraints = """
        SELECT k.conname, t.relname, k.contype::text, pg_get_constraintdef(k.oid), rt.relname, k.convalidated
        FROM pg_constraint k
        JOIN pg_class t ON t.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        LEFT JOIN pg_class rt ON rt.oid = k.confrelid
        WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'f', 'c', 'x')
        ORDER BY t.relname, k.conname
        """;

    // Identity sequences belong to their column and are created with it, so they are left out.
    public const string Sequences = """
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

    public const string Extensions = """
        SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY e.extname
        """;

    // Owners' own entries are left out: they appear in an ACL as soon as anything is granted and say nothing.
    public const string Privileges = """
        SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, c.relname, NULL::text, a.privilege_type,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'S') AND a.grantee <> c.relowner
        UNION ALL
        SELECT 'column', c.relname, at.attname, a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END
        FROM pg_attribute at
        JOIN pg_class c ON c.oid = at.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL aclexplode(at.attacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = $1 AND at.attnum > 0 AND NOT at.attisdropped AND at.attacl IS NOT NULL AND a.grantee <> c.relowner
        UNION ALL
        SELECT 'schema', n.nspname, NULL::text, a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END
        FROM pg_namespace n
        CROSS JOIN LATERAL aclexplode(n.nspacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = $1 AND a.grantee <> n.nspowner
        """;

    public const string VolatileFunctions = "SELECT DISTINCT proname::text FROM pg_proc WHERE provolatile = 'v'";
}
