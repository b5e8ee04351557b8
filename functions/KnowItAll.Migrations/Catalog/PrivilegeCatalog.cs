using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>Explicit privileges on tables, views, sequences, columns, functions, types and the schema.</summary>
internal static class PrivilegeCatalog
{
    // Owners' own entries are left out: they appear in an ACL as soon as anything is granted and say nothing.
    // EXECUTE for PUBLIC on a function, and USAGE for PUBLIC on a type, are PostgreSQL's defaults (acldefault while the ACL is
    // empty): they are read, marked initial, so that a REVOKE of them is seen, and so is their absence.
    // The privileges an object was created with by initdb or by its extension (pg_init_privs), such as USAGE on the
    // public schema for PUBLIC, are marked: nobody granted them, so schema/ not granting them is no drift.
    public const string Query = """
        SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, c.relname, NULL::text, a.privilege_type,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END, a.is_grantable,
               EXISTS (SELECT 1 FROM pg_init_privs ip CROSS JOIN LATERAL aclexplode(ip.initprivs) ia
                       WHERE ip.classoid = 'pg_class'::regclass AND ip.objoid = c.oid AND ip.objsubid = 0
                         AND ia.grantee = a.grantee AND ia.privilege_type = a.privilege_type)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'S', 'v', 'm') AND a.grantee <> c.relowner
        UNION ALL
        SELECT 'column', c.relname, at.attname, a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END, a.is_grantable, false
        FROM pg_attribute at
        JOIN pg_class c ON c.oid = at.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL aclexplode(at.attacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = $1 AND at.attnum > 0 AND NOT at.attisdropped AND at.attacl IS NOT NULL AND a.grantee <> c.relowner
        UNION ALL
        SELECT 'function', p.proname || '(' || oidvectortypes(p.proargtypes) || ')', NULL::text, a.privilege_type,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END, a.is_grantable, a.grantee = 0 AND a.privilege_type = 'EXECUTE'
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        CROSS JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = $1 AND p.prokind IN ('f', 'p') AND a.grantee <> p.proowner
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype IN ('e', 'i'))
        UNION ALL
        SELECT 'type', t.typname, NULL::text, a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END, a.is_grantable,
               a.grantee = 0 AND a.privilege_type = 'USAGE'
        FROM pg_type t
        JOIN pg_namespace n ON n.oid = t.typnamespace
        CROSS JOIN LATERAL aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = $1 AND a.grantee <> t.typowner
          AND (t.typtype IN ('e', 'd', 'r') OR t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
        UNION ALL
        SELECT 'schema', n.nspname, NULL::text, a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE r.rolname END, a.is_grantable,
               EXISTS (SELECT 1 FROM pg_init_privs ip CROSS JOIN LATERAL aclexplode(ip.initprivs) ia
                       WHERE ip.classoid = 'pg_namespace'::regclass AND ip.objoid = n.oid AND ip.objsubid = 0
                         AND ia.grantee = a.grantee AND ia.privilege_type = a.privilege_type)
        FROM pg_namespace n
        CROSS JOIN LATERAL aclexplode(n.nspacl) a
        LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE n.nspname = $1 AND a.grantee <> n.nspowner
        """;

    public static async Task<List<PrivilegeModel>> ReadAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var privileges = new List<PrivilegeModel>();
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(4)) continue;
            privileges.Add(new PrivilegeModel(PrivilegeObjectKinds.Parse(reader.GetString(0)), reader.GetString(1), reader.IsDBNull(2) ? null
                : reader.GetString(2), reader.GetString(3), reader.GetString(4))
            {
                Grantable = reader.GetBoolean(5),
                Initial = reader.GetBoolean(6),
            });
        }
        return privileges;
    }
}
