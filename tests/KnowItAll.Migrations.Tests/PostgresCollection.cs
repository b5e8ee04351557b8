using KnowItAll.Testing;

namespace KnowItAll.Migrations.Tests;

/// <summary>
/// The tests that run one after another: the timing-sensitive ones (lock timeouts, concurrent runs, killed backends, cancelled
/// applies, statistics not yet gathered, the shared role tutor_app), on the assembly's one server; and, to even out the
/// collections' lengths, the statement-form tests and one shard of the destructive mutations.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

/// <summary>
/// Collections that run beside <see cref="PostgresCollection"/> on the same server (each test has its own database):
/// the long table-driven suites are split across them, and every class that is not timing-sensitive runs in one of them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresParallelA : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres-a";
}

/// <inheritdoc cref="PostgresParallelA"/>
[CollectionDefinition(Name)]
public sealed class PostgresParallelB : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres-b";
}

/// <inheritdoc cref="PostgresParallelA"/>
[CollectionDefinition(Name)]
public sealed class PostgresParallelC : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres-c";
}
