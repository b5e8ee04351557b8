using KnowItAll.Testing;

namespace KnowItAll.Workflow.Functions.Tests;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
