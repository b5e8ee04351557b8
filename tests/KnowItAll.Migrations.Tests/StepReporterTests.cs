using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KnowItAll.Migrations.Json;
using KnowItAll.Migrations.Reporting;
using Moq;

namespace KnowItAll.Migrations.Tests;

public sealed class StepReporterTests
{
    [Fact]
    public async Task A_report_of_megabytes_is_the_document_it_always_was_written_under_the_execution_and_read_back_whole()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 30, 5, 123, TimeSpan.Zero);
        var clock = new Mock<TimeProvider>();
        clock.Setup(c => c.GetUtcNow()).Returns(now);
        // 30,000 objects, with text the default encoder escapes (non-ASCII, HTML-sensitive characters, quotes).
        var objects = Enumerable.Range(0, 30_000)
            .Select(i => new ObjectStatus("column", $"t{i / 15:D5}.c{i % 15:D2}", i % 1000 == 0 ? ObjectStatus.Different : ObjectStatus.Present,
                i % 1000 == 0 ? "default 'é' <b>&\"x\" (desired now())" : null))
            .ToList();
        var result = new ValidationResult(false, "public", "fp", "dfp", objects.Count, [objects[0]], [new DriftItem("index", "i", "not in schema/")],
            objects, 42);

        using var reports = new TempReports();
        var digest = await new StepReporter(reports.Store, clock.Object).ValidationAsync(result, "exec-1", CancellationToken.None);

        // What the reporter wrote before it serialized in segments: a document tree, written as a string.
        var reference = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["format"] = StepReporter.Format,
            ["step"] = ReportKeys.Validate,
            ["execution_name"] = "exec-1",
            ["written_at"] = now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["result"] = JsonSerializer.SerializeToNode(result, MigrationJsonContext.Default.ValidationResult),
        }.ToJsonString());
        Assert.True(reference.Length > 2_000_000, $"the report is only {reference.Length} bytes");

        var written = await reports.Store.ReadAsync(ReportKeys.ForStep("exec-1", ReportKeys.Validate), CancellationToken.None);
        Assert.NotNull(written);
        Assert.Equal(reference, written);
        Assert.Equal(reference.LongLength, digest.Report!.Bytes);
    }
}
