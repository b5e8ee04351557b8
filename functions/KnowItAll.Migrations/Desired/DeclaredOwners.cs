using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;
using Npgsql;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// The owners schema/ states, resolved in the scratch schema to the object each names, with the kind and identity the catalog
/// reader gives it (<see cref="OwnerCatalog"/>), so desired and live owners compare by the same key. The statements are never
/// run (see <see cref="DumpInput"/>): PostgreSQL resolves the name only.
/// </summary>
internal static class DeclaredOwners
{
    private const string Probe = "knowitall: owner probe";

    /// <summary>The owners by the scratch schema their object is in (each managed schema is built in one; the model's renaming moves
    /// the identities to the real schema); when one object's owner is stated twice, the last statement holds, as it would in PostgreSQL.</summary>
    public static async Task<Dictionary<string, List<OwnerModel>>> ResolveAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyList<DeclaredOwner> declared, QualifiedNames names, IReadOnlyList<(string Scratch, string Schema)> scratches, CancellationToken ct)
    {
        var target = scratches[0];
        var owners = new Dictionary<string, (OwnerModel Owner, uint Oid, SqlStatement At, string Scratch)>(StringComparer.Ordinal);
        foreach (var d in declared)
        {
            if (d.Kind == "SCHEMA")
            {
                var of = scratches.First(s => s.Schema == DumpInput.Name(d.Name));
                var quoted = await ScalarAsync<string>(connection, tx, "SELECT pg_catalog.quote_ident($1)", ct, of.Schema);
                var schema = new OwnerModel("SCHEMA", quoted ?? of.Schema, d.Role);
                owners.Remove(schema.Key);
                owners[schema.Key] = (schema, 0, d.At, of.Scratch);
                continue;
            }
            var (catalog, oid) = await FindAsync(connection, tx, d, names.ToScratch(d.Name), target.Scratch, target.Schema, ct);
            var scratch = oid is { } at ? await NamespaceAsync(connection, tx, catalog, at, ct) : null;
            var (kind, identity) = oid is { } found && scratches.Any(s => s.Scratch == scratch)
                ? await IdentifyAsync(connection, tx, scratch!, catalog, found, ct) : (null, null);
            if (kind is null || identity is null)
                throw DumpInput.Error(d.At, $"ALTER {d.Kind} {d.Name} OWNER TO: schema/ creates no {d.Kind.ToLowerInvariant()} of that name in " +
                    $"schema '{target.Schema}'{(scratches.Count > 1 ? " or the schemas it creates" : "")} (an owner is stated for the objects " +
                    "schema/ creates, after their CREATE)");
            if (!Fits(d.Kind, kind))
                throw DumpInput.Error(d.At, $"ALTER {d.Kind} {d.Name} OWNER TO: {d.Name} is a {kind.ToLowerInvariant()}; write ALTER {kind}");
            var owner = new OwnerModel(kind, identity, d.Role);
            owners.Remove(owner.Key);
            owners[owner.Key] = (owner, oid!.Value, d.At, scratch!);
        }
        await CheckLinkedSequencesAsync(connection, tx, owners.Values.Select(o => (o.Owner, o.Oid, o.At)).ToList(), ct);
        return scratches.ToDictionary(s => s.Scratch, s => owners.Values.Where(o => o.Scratch == s.Scratch).Select(o => o.Owner).ToList(),
            StringComparer.Ordinal);
    }

    /// <summary>The schema an object of <paramref name="catalog"/> is in.</summary>
    private static Task<string?> NamespaceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string catalog, uint oid, CancellationToken ct) =>
        ScalarAsync<string>(connection, tx, catalog switch
        {
            "pg_proc" => "SELECT pronamespace::regnamespace::text FROM pg_catalog.pg_proc WHERE oid = $1::text::oid",
            "pg_type" => "SELECT typnamespace::regnamespace::text FROM pg_catalog.pg_type WHERE oid = $1::text::oid",
            _ => "SELECT relnamespace::regnamespace::text FROM pg_catalog.pg_class WHERE oid = $1::text::oid",
        }, ct, oid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// A sequence a table column owns (serial, OWNED BY) has its table's owner: PostgreSQL changes both with the table and refuses
    /// the sequence alone, so a stated owner of one is the stated owner of its table.
    /// </summary>
    private static async Task CheckLinkedSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<(OwnerModel Owner, uint Oid, SqlStatement At)> owners, CancellationToken ct)
    {
        foreach (var (owner, oid, at) in owners.Where(o => o.Owner.ObjectType == "SEQUENCE"))
        {
            await using var command = new NpgsqlCommand("""
                SELECT d.refobjid FROM pg_catalog.pg_depend d
                WHERE d.classid = 'pg_class'::regclass AND d.objid = $1 AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
                """, connection, tx);
            command.Parameters.Add(new NpgsqlParameter { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            uint table;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct)) continue;
                table = reader.GetFieldValue<uint>(0);
            }
            var tableOwner = owners.FirstOrDefault(o => o.Owner.ObjectType == "TABLE" && o.Oid == table).Owner?.Owner;
            if (tableOwner != owner.Owner)
                throw DumpInput.Error(at,
                    $"sequence {owner.Identity} belongs to a column of its table (serial or OWNED BY), and PostgreSQL gives it its table's owner: " +
                    (tableOwner is null ? $"state the table's owner (ALTER TABLE … OWNER TO {owner.Owner}) as well"
                        : $"its table's owner is stated as {tableOwner}, not {owner.Owner}"));
        }
    }

    /// <summary>Whether ALTER <paramref name="written"/> may name an object of <paramref name="kind"/> (the kinds say which words may:
    /// ALTER TABLE also names views and sequences, as pg_dump writes it; ALTER TYPE a domain; ALTER ROUTINE a function or procedure).</summary>
    private static bool Fits(string written, string kind) =>
        written == kind || KindRegistry.All.Any(k => k.Owned?.Kinds.Any(o => o.Kind == kind && o.Written.Contains(written)) == true);

    /// <summary>The catalog and oid of the object a statement names; null when PostgreSQL finds none.</summary>
    private static async Task<(string Catalog, uint? Oid)> FindAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DeclaredOwner d, string name,
        string scratch, string targetSchema, CancellationToken ct)
    {
        try
        {
            var catalog = KindRegistry.All.Select(k => k.Owned).FirstOrDefault(o => o?.Kinds.Any(k => k.Written.Contains(d.Kind)) == true)?.Catalog;
            switch (catalog)
            {
                case "pg_proc":
                    // A routine's name may carry argument names and modes (as pg_dump writes it), which only the statement grammar
                    // reads: a comment on it finds the routine the way the OWNER TO statement would.
                    await ScalarAsync<object>(connection, tx, $"COMMENT ON {d.Kind} {name} IS {Identifier.Literal(Probe)}", ct);
                    var routine = await ScalarAsync<object>(connection, tx,
                        "SELECT objoid FROM pg_catalog.pg_description WHERE classoid = 'pg_proc'::regclass AND description = $1", ct, Probe);
                    await ScalarAsync<object>(connection, tx, $"COMMENT ON {d.Kind} {name} IS NULL", ct);
                    return ("pg_proc", routine as uint?);
                case "pg_type":
                    return ("pg_type", await ScalarAsync<object>(connection, tx, "SELECT pg_catalog.to_regtype($1)::oid", ct, name) as uint?);
                default:
                    return ("pg_class", await ScalarAsync<object>(connection, tx, "SELECT pg_catalog.to_regclass($1)::oid", ct, name) as uint?);
            }
        }
        catch (PostgresException e) when (Connections.Unavailable(e) is null)
        {
            throw DumpInput.Error(d.At, $"ALTER {d.Kind} {d.Name} OWNER TO: " +
                $"{e.MessageText.Replace(scratch + ".", targetSchema + ".", StringComparison.Ordinal)} [{e.SqlState}]");
        }
    }

    private static async Task<(string? Kind, string? Identity)> IdentifyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string scratch,
        string catalog, uint oid, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(OwnerCatalog.Identify, connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = scratch });
        command.Parameters.Add(new NpgsqlParameter { Value = catalog });
        command.Parameters.Add(new NpgsqlParameter { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetString(1)) : (null, null);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct,
        params string[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        return await command.ExecuteScalarAsync(ct) is T value ? value : default;
    }
}
