using System.Text;
using KnowItAll.Migrations.Desired;

namespace KnowItAll.Testing;

/// <summary>
/// A deterministic schema of N tables with 10–20 columns each, two indexes, a check, a foreign key to the
/// previous table and grants to tutor_app — the shape of a real application, at scale.
/// </summary>
public static class SyntheticSchema
{
    private static readonly string[] Types = ["text", "integer", "bigint", "boolean", "timestamptz", "numeric(12,2)", "jsonb", "uuid", "varchar(80)",
        "date"];

    public static SchemaSource Build(int tables)
    {
        var random = new Random(tables);
        var files = new List<SchemaFile>();
        for (var chunk = 0; chunk * 100 < tables; chunk++)
        {
            var sql = new StringBuilder();
            for (var t = chunk * 100; t < Math.Min(tables, (chunk + 1) * 100); t++)
            {
                var columns = 10 + random.Next(11);
                sql.Append($"CREATE TABLE t{t:D5} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
                if (t > 0) sql.Append($",\n    parent_id bigint REFERENCES t{t - 1:D5} (id)");
                sql.Append(",\n    c00 integer NOT NULL DEFAULT 0");
                for (var c = 1; c < columns - 2; c++)
                {
                    var type = Types[random.Next(Types.Length)];
                    sql.Append($",\n    c{c:D2} {type}");
                    if (type == "timestamptz" && random.Next(2) == 0) sql.Append(" NOT NULL DEFAULT now()");
                }
                sql.Append($",\n    CONSTRAINT t{t:D5}_c00_check CHECK (c00 IS NOT NULL)\n);\n");
                sql.Append($"CREATE INDEX idx_t{t:D5}_c01 ON t{t:D5} (c01);\n");
                sql.Append($"CREATE INDEX idx_t{t:D5}_c02 ON t{t:D5} (c02) WHERE c02 IS NOT NULL;\n");
                sql.Append($"GRANT SELECT, INSERT, UPDATE ON t{t:D5} TO tutor_app;\n");
            }
            files.Add(new SchemaFile($"synthetic/{chunk:D3}.sql", sql.ToString()));
        }
        return SchemaSource.FromFiles([.. files]);
    }

    /// <summary>Writes the schema of <paramref name="tables"/> tables as files under <paramref name="directory"/>, as a person's schema/ would hold
    /// them.</summary>
    public static void WriteTo(string directory, int tables)
    {
        foreach (var file in Build(tables).Files)
            File.WriteAllText(Path.Combine(directory, file.FileName), file.Text);
    }
}
