using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;
using Npgsql;
using static KnowItAll.Migrations.Identifier;

namespace KnowItAll.Migrations.Permissions;

/// <summary>
/// Proves, with PostgreSQL's own has_*_privilege functions, that the application role can log in, connect,
/// reach the schema and use every object schema/ grants it. One query for all the objects.
/// </summary>
public static class PermissionVerifier
{
    // The schema's check, and each kind's (every privilege kind is some kind's).
    private static readonly string ObjectChecks = $"""
        SELECT c.kind, c.obj, c.col, c.priv,
               CASE c.kind
                 WHEN 'schema' THEN CASE WHEN to_regnamespace(c.obj) IS NULL THEN false ELSE has_schema_privilege($1, c.obj, c.priv) END
                 {string.Join("\n         ", KindRegistry.All.SelectMany(k => k.PrivilegeChecks).DistinctBy(p => p.On)
                     .Select(p => $"WHEN '{p.On.ToWire()}' THEN {p.Sql}"))}
               END
        FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS c(kind, obj, qualified, col, priv)
        """;

    /// <summary>The object's name as the has_*_privilege functions take it; a function's carries its argument types.</summary>
    private static string Qualified(string schema, PrivilegeModel p)
    {
        if (p.ObjectKind != PrivilegeObjectKind.Function) return Qualify(schema, p.ObjectName);
        var open = p.ObjectName.IndexOf('(', StringComparison.Ordinal);
        return Qualify(schema, p.ObjectName[..open]) + p.ObjectName[open..];
    }

    public static async Task<PermissionReport> VerifyAsync(NpgsqlConnection connection, SchemaModel desired, MigrationOptions options,
        CancellationToken ct)
    {
        var role = options.AppRole;
        bool? canLogin;
        await using (var roleQuery = new NpgsqlCommand("SELECT rolcanlogin FROM pg_catalog.pg_roles WHERE rolname = $1", connection))
        {
            roleQuery.Parameters.Add(new NpgsqlParameter { Value = role });
            canLogin = (bool?)await roleQuery.ExecuteScalarAsync(ct);
        }
        if (canLogin is null)
            return new PermissionReport(false, role, RoleExists: false, CanLogin: false, CanConnect: false, HasSchemaUsage: false, Checked: 1,
                [new PermissionCheck("role", role, "EXISTS", false)], 0);

        // Every managed schema: the target schema is always reached; another one where schema/ grants the role anything in it.
        var wanted = desired.Managed
            .SelectMany(m => m.Privileges.Where(p => p.Grantee == role)
                .Concat(ReferenceEquals(m, desired) || m.Privileges.Any(p => p.Grantee == role)
                    ? [new PrivilegeModel(PrivilegeObjectKind.Schema, m.Schema, null, "USAGE", role)] : [])
                .Select(p => (Schema: m.Schema, Privilege: p)))
            .DistinctBy(w => (w.Schema, w.Privilege.Key))
            .ToList();

        bool canConnect;
        await using (var connect = new NpgsqlCommand("SELECT has_database_privilege($1, current_database(), 'CONNECT')", connection))
        {
            connect.Parameters.Add(new NpgsqlParameter { Value = role });
            canConnect = (bool)(await connect.ExecuteScalarAsync(ct))!;
        }
        await using var command = new NpgsqlCommand(ObjectChecks, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        command.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => w.Privilege.ObjectKind.ToWire()).ToArray() });
        // An object outside the target schema is named qualified in the report (a schema by its own name).
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = wanted.Select(w => w.Schema == options.TargetSchema || w.Privilege.ObjectKind == PrivilegeObjectKind.Schema
                ? w.Privilege.ObjectName : $"{w.Schema}.{w.Privilege.ObjectName}").ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => Qualified(w.Schema, w.Privilege)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => w.Privilege.Column ?? "").ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = wanted.Select(w => w.Privilege.Privilege).ToArray() });

        var missing = new List<PermissionCheck>();
        var schemaUsage = false;
        var checkedCount = 0;
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                checkedCount++;
                var kind = reader.GetString(0);
                var column = reader.GetString(2);
                var granted = reader.GetBoolean(4);
                var objectName = column.Length > 0 ? $"{reader.GetString(1)}.{column}" : reader.GetString(1);
                if (kind == "schema" && reader.GetString(3) == "USAGE" && reader.GetString(1) == options.TargetSchema) schemaUsage = granted;
                if (!granted) missing.Add(new PermissionCheck(kind, objectName, reader.GetString(3), false));
            }
            if (!canConnect) missing.Add(new PermissionCheck("database", "current", "CONNECT", false));
            if (canLogin != true) missing.Add(new PermissionCheck("role", role, "LOGIN", false));
            return new PermissionReport(missing.Count == 0, role, RoleExists: true, CanLogin: canLogin == true, CanConnect: canConnect,
                HasSchemaUsage: schemaUsage, Checked: checkedCount + 2, missing, 0);
        }
    }
}
