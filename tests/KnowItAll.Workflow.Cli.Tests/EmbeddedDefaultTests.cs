using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace KnowItAll.Workflow.Cli.Tests;

/// <summary>The README's main job: with no database configured, apply runs on a throwaway PostgreSQL it removes afterwards.</summary>
public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task Apply_without_a_configured_database_runs_on_a_throwaway_server_and_removes_it()
    {
        foreach (var variable in new[] { "KNOWITALL_DB_CONNECTION", "PGHOST", "PGDATABASE", "PGUSER", "PGSERVICE" })
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)), $"{variable} is set; this test needs it unset");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await KnowItAllCli.RunAsync(["apply", "--schema", Repo.SchemaDirectory], stdout, stderr);

        Assert.True(exit == ExitCodes.Success, stderr.ToString());
        Assert.Contains("started a throwaway PostgreSQL on 127.0.0.1:", stderr.ToString());
        Assert.Contains("applied", stdout.ToString());
        Assert.Contains("embedded throwaway PostgreSQL", stdout.ToString());

        var port = int.Parse(Regex.Match(stderr.ToString(), @"127\.0\.0\.1:(\d+)").Groups[1].Value);
        using var probe = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
