using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Planning;
using Npgsql;
using Xunit.Abstractions;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// Replacements killed at every statement: whatever a kill leaves (a replacement built but not swapped in, the old
/// object dropped but the new one not renamed, a transaction rolled back), the next run finishes it, and the result is
/// what a direct load of the new DDL gives.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplacementReliabilityTests(PostgresFixture pg, ITestOutputHelper output)
{
    private const string Old = """
        CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, name text,
            CONSTRAINT users_email_key UNIQUE (email), CONSTRAINT users_email_at CHECK (length(email) > 1));
        CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint CONSTRAINT orders_user_fkey REFERENCES users (id),
                             total numeric NOT NULL DEFAULT 0);
        CREATE INDEX users_name ON users (name);
        CREATE VIEW named_users AS SELECT id, email FROM users WHERE name IS NOT NULL;
        CREATE VIEW named_emails AS SELECT email FROM named_users;
        CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
        CREATE UNIQUE INDEX order_totals_user ON order_totals (user_id);
        ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
        CREATE POLICY orders_read ON orders FOR SELECT TO tutor_app USING (total >= 0);
        GRANT SELECT ON named_users TO tutor_app;
        COMMENT ON INDEX users_name IS 'by name';
        """;

    private static readonly string New = Old
        .Replace("CONSTRAINT users_email_key UNIQUE (email)", "CONSTRAINT users_email_key UNIQUE (email, name)", StringComparison.Ordinal)
        .Replace("CHECK (length(email) > 1)", "CHECK (length(email) > 2)", StringComparison.Ordinal)
        .Replace("REFERENCES users (id)", "REFERENCES users (id) ON DELETE CASCADE", StringComparison.Ordinal)
        .Replace("ON users (name)", "ON users (name, email)", StringComparison.Ordinal)
        .Replace("SELECT id, email FROM users", "SELECT id, email::varchar(200) AS email FROM users", StringComparison.Ordinal)
        .Replace("sum(total) AS total", "sum(total) AS total, count(*) AS n", StringComparison.Ordinal)
        .Replace("FOR SELECT TO tutor_app", "FOR UPDATE TO tutor_app", StringComparison.Ordinal);

    private const string Seed = """
        INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'User ' || g FROM generate_series(1, 300) g;
        INSERT INTO orders SELECT g, (g % 300) + 1, g FROM generate_series(1, 300) g;
        ANALYZE users; ANALYZE orders;
        REFRESH MATERIALIZED VIEW order_totals;
        """;

    private static SchemaSource Schema() => SchemaSource.FromFiles(new SchemaFile("schema/replacements.sql", New));

    [Fact]
    public async Task A_replacement_killed_at_any_statement_is_finished_by_the_next_run()
    {
        var template = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(template, Old);
        await PostgresFixture.ExecuteAsync(template, Seed);
        var templateName = new NpgsqlConnectionStringBuilder(template).Database!;
        var plan = await Engines.For(template, Schema()).PlanAsync();
        Assert.Empty(plan.Blocking);
        var kinds = plan.Statements.Select(s => s.Kind).ToHashSet();
        foreach (var kind in new[] { StatementKind.IndexReplace, StatementKind.ConstraintReplace, StatementKind.ViewReplace,
            StatementKind.PolicyReplace, StatementKind.Validate, StatementKind.Index })
            Assert.True(kinds.Contains(kind),
                $"the change has no {kind.ToWire()} statement:\n{string.Join("\n", plan.Statements.Select(s => $"{s.Order}. [{s.Kind.ToWire()}] " +
                    $"{s.Sql}"))}");

        var direct = await pg.NewDatabaseAsync();
        await PostgresFixture.ExecuteAsync(direct, New);
        var expected = (await PostgresFixture.ReadLiveAsync(direct)).Canonical();

        for (var point = 1; point <= plan.Statements.Count; point++)
        {
            var db = await CloneAsync(templateName);
            var engine = Engines.For(db, Schema());
            var progress = new KillAt(db, point);
            var error = await Assert.ThrowsAsync<MigrationException>(() => engine.ApplyAsync(new ApplyRequest(), progress));
            Assert.Equal(MigrationErrors.DatabaseUnavailable, error.ErrorName);
            Assert.True(progress.Killed, $"statement {point} was never reached");

            await engine.ApplyAsync(new ApplyRequest()); // a failed re-run throws
            var validation = await engine.ValidateAsync();
            Assert.True(validation.SchemaValid,
                $"after a kill at statement {point} ({plan.Statements[point - 1].Sql}): still missing " +
                $"{string.Join(", ", validation.Missing.Select(m => $"{m.Kind} {m.Name}"))}");
            Assert.Empty(validation.Drift);
            Assert.False((await engine.PlanAsync()).HasChanges, $"after a kill at statement {point}, a re-plan is not empty");
            Assert.Equal(0L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
            Assert.Equal(300L, await PostgresFixture.ScalarAsync<long>(db, "SELECT count(*) FROM orders"));
            Assert.Equal(expected, (await PostgresFixture.ReadLiveAsync(db)).Canonical());
        }
        output.WriteLine(
            $"replacements: killed at each of {plan.Statements.Count} statements ({plan.Statements.Count(s => s.Transactional)} in the " +
            "transaction), each run converged");
    }

    private async Task<string> CloneAsync(string template)
    {
        var name = "r" + Guid.NewGuid().ToString("N")[..20];
        await PostgresFixture.CloseEngineConnectionsAsync(template);
        await PostgresFixture.ExecuteAsync(pg.AdminConnectionString, $"CREATE DATABASE {name} TEMPLATE {template}");
        return new NpgsqlConnectionStringBuilder(pg.AdminConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    /// <summary>Terminates the apply's backend just as it is about to run statement <c>point</c>.</summary>
    private sealed class KillAt(string db, int point) : IProgress<ApplyProgress>
    {
        public bool Killed { get; private set; }

        public void Report(ApplyProgress value)
        {
            if (value.Phase != "running" || value.Order != point || Killed) return;
            Killed = true;
            PostgresFixture.ExecuteAsync(db,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'knowitall-migrate' AND datname = " +
                "current_database()")
                .GetAwaiter().GetResult();
        }
    }
}
