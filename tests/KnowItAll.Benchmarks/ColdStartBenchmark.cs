using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using KnowItAll.Migrations.Embedded;

namespace KnowItAll.Benchmarks;

/// <summary>
/// Process start to first invocation answered, through a Runtime API served on 127.0.0.1: the Native AOT bootstrap
/// beside the same handlers run JIT (dotnet bootstrap.dll), for Notify (no database) and Validate (database and
/// desired-schema load included).
/// </summary>
public static class ColdStartBenchmark
{
    public static async Task<string> RunAsync(EmbeddedPostgres server, string nativeBootstrap, string jitBootstrap, string schemaDirectory, int runs,
        TextWriter log)
    {
        var db = await server.CreateDatabaseAsync("coldstart");
        var lines = new List<string>
        {
            $"Native AOT binary: {new FileInfo(nativeBootstrap).Length / 1024.0 / 1024.0:0.0} MiB (`bootstrap`); JIT: " +
            $"{DirectorySize(Path.GetDirectoryName(jitBootstrap)!) / 1024.0 / 1024.0:0.0} MiB of assemblies, plus the .NET runtime.",
            "",
            "| handler | Native AOT | JIT | JIT ÷ AOT |",
            "|---|---:|---:|---:|",
        };
        foreach (var handler in new[] { "Notify", "Validate" })
        {
            var environment = new Dictionary<string, string>
            {
                ["_HANDLER"] = handler, ["DB_CONNECTION_STRING"] = db, ["KNOWITALL_SCHEMA_DIR"] = schemaDirectory, ["KNOWITALL_ENVIRONMENT"] =
                    "bench",
            };
            var native = await Timing.RunAsync("aot", runs, () => FirstInvocationAsync(nativeBootstrap, [], environment));
            var jit = await Timing.RunAsync("jit", runs, () => FirstInvocationAsync("dotnet", [jitBootstrap], environment));
            lines.Add(
                $"| {handler} | {native.Median:N0} ms ({native.Spread}) | {jit.Median:N0} ms ({jit.Spread}) | {jit.Median / native.Median:0.0}× |");
            log.WriteLine(lines[^1]);
        }
        return string.Join('\n', lines);
    }

    private static long DirectorySize(string directory) => Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);

    /// <summary>Starts the process with a one-event Runtime API and returns when its answer arrives.</summary>
    internal static async Task FirstInvocationAsync(string file, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{port}";
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var served = false;
            while (true)
            {
                var context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromMinutes(5));
                var path = context.Request.Url!.AbsolutePath;
                if (path.EndsWith("/invocation/next", StringComparison.Ordinal) && !served)
                {
                    served = true;
                    context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = "bench-1";
                    context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString();
                    var body = Encoding.UTF8.GetBytes("""{"action":"apply","dry_run":false,"outcome":"NO_CHANGES"}""");
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                    continue;
                }
                context.Response.StatusCode = 202;
                context.Response.Close();
                if (path.EndsWith("/response", StringComparison.Ordinal)) return;
                if (path.Contains("/error", StringComparison.Ordinal)) throw new InvalidOperationException($"the first invocation failed ({path})");
            }
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
