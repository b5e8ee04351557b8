using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace KnowItAll.Migrations.Embedded;

/// <summary>
/// A throwaway PostgreSQL server started from the machine's PostgreSQL binaries, bound to 127.0.0.1 and a
/// private Unix socket directory, removed on dispose. When the process runs as root the server runs as the
/// <c>postgres</c> user (initdb and postgres refuse root). It has a superuser with a random password, a
/// <c>tutor</c> database and the application role <c>tutor_app</c> (LOGIN), like the RDS database it stands in for.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string DatabaseName = "tutor";
    public const string SuperUser = "knowitall";

    private readonly string _root;
    private readonly string _binDir;
    private readonly bool _dropToPostgres;
    private int _stopped;

    private EmbeddedPostgres(string root, string binDir, bool dropToPostgres, int port, string password)
    {
        _root = root;
        _binDir = binDir;
        _dropToPostgres = dropToPostgres;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    /// <summary>The superuser's password: a secret, never to be printed.</summary>
    public string Password { get; }

    public string DataDirectory => Path.Combine(_root, "data");

    public string ConnectionString(string? database = null) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database ?? DatabaseName,
        Pooling = true,
        MaxPoolSize = 40,
    }.ConnectionString;

    /// <summary>The directory holding initdb, pg_ctl and postgres, or null when none is installed.</summary>
    public static string? FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("KNOWITALL_PG_BIN");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        var root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var best = Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.Dir, "pg_ctl")))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (best.Dir is not null) return best.Dir;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb"))) return dir;
        return null;
    }

    public static async Task<EmbeddedPostgres> StartAsync(CancellationToken cancellationToken = default)
    {
        var binDir = FindBinaries() ?? throw new MigrationException(MigrationErrors.DatabaseUnavailable,
            "no database is configured and no PostgreSQL binaries were found for the embedded default: install PostgreSQL " +
            "(apt-get install postgresql) or set KNOWITALL_PG_BIN, or pass --connection / KNOWITALL_DB_CONNECTION / PG* variables");
        var dropToPostgres = Environment.IsPrivilegedProcess;
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        await SweepOrphansAsync(parent, binDir, dropToPostgres);
        var root = Path.Combine(parent, "knowitall-pg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(root);
        // Whose server this is: a later start stops and removes it when that process is gone (killed, crashed).
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            cancellationToken);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        var server = new EmbeddedPostgres(root, binDir, dropToPostgres, FreePort(), password);
        try
        {
            await server.InitAsync(cancellationToken);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopNow();
            return server;
        }
        catch
        {
            server.StopNow();
            throw;
        }
    }

    private async Task InitAsync(CancellationToken cancellationToken)
    {
        var pwFile = Path.Combine(_root, "pwfile");
        await File.WriteAllTextAsync(pwFile, Password + "\n", cancellationToken);
        if (_dropToPostgres) await RunAsync("chown", ["-R", "postgres:postgres", _root], asPostgres: false, cancellationToken);

        await RunAsync(Path.Combine(_binDir, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--pwfile=" + pwFile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            _dropToPostgres, cancellationToken);
        File.Delete(pwFile);

        var options = string.Join(' ',
            $"-p {Port}", "-c listen_addresses=127.0.0.1", $"-k {_root}", "-c fsync=off", "-c synchronous_commit=off",
            "-c full_page_writes=off", "-c max_connections=200", "-c shared_buffers=128MB",
            // The desired-schema load and an apply lock every object of the schema in one transaction.
            "-c max_locks_per_transaction=1024");
        await RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-o", options, "-w", "-t", "60", "start"],
            _dropToPostgres, cancellationToken);

        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
            await using var role = new NpgsqlCommand(
                $"CREATE ROLE tutor_app LOGIN PASSWORD {Identifier.Literal(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)))}", admin);
            await role.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Creates another empty database on this server (tests give each scenario its own).</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!Identifier.IsValid(name)) throw new ArgumentException($"'{name}' is not a simple database name", nameof(name));
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Identifier.Quote(name)}", admin);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public ValueTask DisposeAsync()
    {
        StopNow();
        return ValueTask.CompletedTask;
    }

    private void StopNow()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], _dropToPostgres,
                    CancellationToken.None)
                    .GetAwaiter().GetResult();
        }
        catch (MigrationException)
        {
            // The server may already be gone (killed with the test host); the directory is removed regardless.
        }
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LC_ALL"] = "C.UTF-8";
        using var process = Process.Start(info)
            ?? throw new MigrationException(MigrationErrors.DatabaseUnavailable, $"could not start {Path.GetFileName(file)}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new MigrationException(MigrationErrors.DatabaseUnavailable,
                ($"embedded PostgreSQL: {Path.GetFileName(file)} exited with {process.ExitCode}: " +
                    $"{(await stderr).Trim()} {(await stdout).Trim()}").Trim());
    }

    private const string OwnerFile = "owner.pid";

    /// <summary>
    /// Stops and removes the throwaway servers of processes that no longer run. A killed test host or CLI never reaches
    /// its dispose, and its server in /dev/shm would hold memory until the machine restarts.
    /// </summary>
    private static async Task SweepOrphansAsync(string parent, string binDir, bool dropToPostgres)
    {
        foreach (var root in Directory.GetDirectories(parent, "knowitall-pg-*"))
        {
            string owner;
            try { owner = await File.ReadAllTextAsync(Path.Combine(root, OwnerFile)); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (!int.TryParse(owner.Trim(), out var pid) || Alive(pid)) continue;
            var orphan = new EmbeddedPostgres(root, binDir, dropToPostgres, 0, "");
            orphan.StopNow();
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
