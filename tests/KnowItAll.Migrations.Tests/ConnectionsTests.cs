using Npgsql;

namespace KnowItAll.Migrations.Tests;

public sealed class ConnectionsTests
{
    [Theory]
    [InlineData("Host=db.internal;Username=migrator", 0)]
    [InlineData("Host=db.internal;Username=migrator;Command Timeout=7", 7)]
    [InlineData("Host=db.internal;Username=migrator;CommandTimeout=45", 45)]
    public void The_client_side_command_timeout_is_off_unless_the_connection_string_sets_one(string connectionString, int expected)
    {
        using var dataSource = Connections.CreateDataSource(connectionString);
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).CommandTimeout);
    }
}
