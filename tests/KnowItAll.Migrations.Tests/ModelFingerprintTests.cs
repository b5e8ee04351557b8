using System.Security.Cryptography;
using System.Text;
using KnowItAll.Migrations.Desired;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Tests;

/// <summary>The fingerprint is hashed as the canonical text is written: it must stay the SHA-256 of that text's UTF-8.</summary>
public sealed class ModelFingerprintTests
{
    [Fact]
    public void The_streamed_fingerprint_is_the_sha256_of_the_canonical_text_across_buffer_boundaries()
    {
        // Long texts with multi-byte characters (one a surrogate pair) put characters across the writer's 8,192-char buffer.
        var comments = Enumerable.Range(0, 40)
            .Select(i => new CommentModel("table", $"t{i}", new string('x', 8191 - i) + "é😀" + new string('ü', i * 37)))
            .ToList();
        var model = new SchemaModel("public", [new ExtensionModel("pgcrypto", "public")], [],
            [new TableModel("orders", [new ColumnModel("id", 1, "bigint", true, null, 'a', '\0', null)], false)],
            [new IndexModel("orders_ix", "orders", "CREATE INDEX orders_ix ON public.orders USING btree (id)", false, true)],
            [new ConstraintModel("orders_pkey", "orders", 'p', "PRIMARY KEY (id)", null, true)],
            [new PrivilegeModel(PrivilegeObjectKind.Table, "orders", null, "SELECT", "reader")], new HashSet<string>())
        { Comments = comments };

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(model.Canonical())));
        Assert.Equal(expected, model.Fingerprint());
        Assert.Contains("😀", model.Canonical(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_committed_compiled_model_keeps_the_fingerprint_it_was_compiled_with()
    {
        var compiled = CompiledModelFile.Read(CompiledModelFile.DefaultPath(Repo.SchemaDirectory));

        Assert.Equal(compiled.ModelFingerprint, compiled.Model.Fingerprint());
        Assert.Equal(compiled.ModelFingerprint, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(compiled.Model.Canonical()))));
    }
}
