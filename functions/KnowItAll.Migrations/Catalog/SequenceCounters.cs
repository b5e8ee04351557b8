using KnowItAll.Migrations.Diff;
using Npgsql;

namespace KnowItAll.Migrations.Catalog;

/// <summary>
/// Where the counters of the sequences a diff re-options stand (pg_sequence_last_value: null while no value has been
/// handed out), so the planner knows before apply whether new bounds still hold the counter: PostgreSQL refuses bounds
/// that leave it outside. Counters are not part of the model (two databases with the same objects compare equal).
/// </summary>
internal static class SequenceCounters
{
    public static async Task ReadAsync(NpgsqlConnection connection, string schema, SchemaDiff diff, CancellationToken ct)
    {
        var sequences = diff.SequenceChanges.Select(c => (Key: c.Desired.Name, Sql: "SELECT pg_sequence_last_value(to_regclass($1))",
            Args: new[] { Identifier.Qualify(schema, c.Desired.Name) }));
        var identities = diff.IdentityChanges.Where(c => c.Live.Identity != '\0' && c.Desired.Identity != '\0')
            .Select(c => (Key: IdentityKey(c.Name), Sql: "SELECT pg_sequence_last_value(to_regclass(pg_get_serial_sequence($1, $2)))",
                Args: new[] { Identifier.Qualify(schema, c.Table.Name), c.Live.Name }));
        foreach (var (key, sql, args) in sequences.Concat(identities))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
            var value = await command.ExecuteScalarAsync(ct);
            diff.SequenceCounters[key] = value is long counter ? counter : null;
        }
    }

    public static string IdentityKey(string column) => "identity " + column;
}
