using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KnowItAll.Migrations.Json;

namespace KnowItAll.Migrations.Reporting;

/// <summary>
/// Writes each step's full result to the report store and returns the bounded digest that names it. A report is
/// <c>{"format", "step", "execution_name", "written_at", "result"}</c>, the result being the engine's whole answer.
/// </summary>
public sealed class StepReporter(IReportStore store, TimeProvider? time = null)
{
    public const string Format = "knowitall-report/1";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IReportStore Store => store;

    public async Task<ValidationDigest> ValidationAsync(ValidationResult result, string? executionName, CancellationToken cancellationToken)
    {
        var report = await WriteAsync(ReportKeys.Validate, executionName, result, MigrationJsonContext.Default.ValidationResult, [],
            cancellationToken);
        return DigestBuilder.Of(result, report);
    }

    /// <summary>A plan is also kept under its hash, where an approval or <c>knowitall report HASH</c> finds it.</summary>
    public async Task<PlanDigest> PlanAsync(MigrationPlan plan, string? executionName, CancellationToken cancellationToken)
    {
        var report = await WriteAsync(ReportKeys.Plan, executionName, plan, MigrationJsonContext.Default.MigrationPlan,
            [ReportKeys.ForPlan(plan.PlanHash)], cancellationToken);
        return DigestBuilder.Of(plan, report);
    }

    public async Task<ApplyDigest> ApplyAsync(ApplyResult result, string? executionName, CancellationToken cancellationToken)
    {
        var report = await WriteAsync(ReportKeys.Apply, executionName, result, MigrationJsonContext.Default.ApplyResult, [], cancellationToken);
        return DigestBuilder.Of(result, report);
    }

    public async Task<PermissionDigest> PermissionsAsync(PermissionReport result, string? executionName, CancellationToken cancellationToken)
    {
        var report = await WriteAsync(ReportKeys.VerifyPermissions, executionName, result, MigrationJsonContext.Default.PermissionReport, [],
            cancellationToken);
        return DigestBuilder.Of(result, report);
    }

    private async Task<ReportLocation> WriteAsync<T>(string step, string? executionName, T result, JsonTypeInfo<T> typeInfo,
        IReadOnlyList<string> alsoAt,
        CancellationToken ct)
    {
        // Outside an execution (a direct invocation) the report still gets a name of its own, never a shared one.
        var name = executionName ?? $"direct-{_time.GetUtcNow():yyyyMMddTHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var bytes = Document(step, name, result, typeInfo);
        var location = await store.WriteAsync(ReportKeys.ForStep(name, step), bytes, ct);
        foreach (var key in alsoAt) await store.WriteAsync(key, bytes, ct);
        return location;
    }

    /// <summary>
    /// The report, serialized straight to UTF-8 in segments below the large-object threshold and copied once into its
    /// final array: at 1,000 tables a validation is megabytes, which as a document tree and a string cost a function
    /// several full collections.
    /// </summary>
    private byte[] Document<T>(string step, string name, T result, JsonTypeInfo<T> typeInfo)
    {
        var segments = new SegmentedBuffer();
        using (var writer = new Utf8JsonWriter(segments))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("step", step);
            writer.WriteString("execution_name", name);
            writer.WriteString("written_at", _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result, typeInfo);
            writer.WriteEndObject();
        }
        return segments.ToArray();
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> of 64 KiB segments.</summary>
    private sealed class SegmentedBuffer : IBufferWriter<byte>
    {
        private const int SegmentSize = 64 * 1024;
        private readonly List<(byte[] Segment, int Used)> _full = [];
        private byte[] _current = new byte[SegmentSize];
        private int _used;

        public void Advance(int count) => _used += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Ensure(sizeHint).AsMemory(_used);

        public Span<byte> GetSpan(int sizeHint = 0) => Ensure(sizeHint).AsSpan(_used);

        private byte[] Ensure(int sizeHint)
        {
            if (_current.Length - _used >= Math.Max(sizeHint, 1)) return _current;
            _full.Add((_current, _used));
            _current = new byte[Math.Max(SegmentSize, sizeHint)];
            _used = 0;
            return _current;
        }

        public byte[] ToArray()
        {
            var bytes = new byte[_full.Sum(f => f.Used) + _used];
            var at = 0;
            foreach (var (segment, used) in _full.Append((_current, _used)))
            {
                segment.AsSpan(0, used).CopyTo(bytes.AsSpan(at));
                at += used;
            }
            return bytes;
        }
    }
}
