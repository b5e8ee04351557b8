using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace KnowItAll.Testing;

/// <summary>moto server on 127.0.0.1 for the AWS protocol tests, stopped with the tests; plus the AWS CLI pointed at it.</summary>
public sealed class MotoServer : IAsyncLifetime
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(90);
    private Process? _process;

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        Endpoint = $"http://127.0.0.1:{port}";
        _process = Process.Start(new ProcessStartInfo("python3", $"-m moto.server -H 127.0.0.1 -p {port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("python3 -m moto.server did not start (moto is a prerequisite of these tests)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        // A start-up deadline, not a measure: moto imports for several seconds of CPU, and the test command starts it while
        // the other test projects load both cores.
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupDeadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"moto server exited with {_process.ExitCode}: is moto[server] installed?");
            try
            {
                await http.GetAsync(Endpoint + "/moto-api/");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"moto server did not answer within {StartupDeadline.TotalSeconds} s");
    }

    public async Task<string> AwsAsync(params string[] args)
    {
        var info = new ProcessStartInfo("aws") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--endpoint-url", Endpoint, "--region", "us-east-1", "--output", "json" }.Concat(args)) info.ArgumentList.Add(a);
        info.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"aws {string.Join(' ', args)}: {error}");
        return output;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
