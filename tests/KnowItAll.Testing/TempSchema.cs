namespace KnowItAll.Testing;

/// <summary>A temporary schema/ directory for code that reads schema files from disk (functions, CLI), removed on dispose.</summary>
public sealed class TempSchema : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("knowitall-schema-");

    public string Path => _directory.FullName;

    /// <summary>The tutor schema with <paramref name="text"/> appended to <paramref name="file"/> (a new file if it is not one of them).</summary>
    public static TempSchema TutorWith(string file, string text)
    {
        var schema = new TempSchema();
        foreach (var source in Directory.GetFiles(Repo.SchemaDirectory, "*.sql"))
            File.Copy(source, System.IO.Path.Combine(schema.Path, System.IO.Path.GetFileName(source)));
        File.AppendAllText(System.IO.Path.Combine(schema.Path, file), "\n" + text + "\n");
        return schema;
    }

    /// <summary>A schema/ holding only the given file.</summary>
    public static TempSchema Only(string file, string text)
    {
        var schema = new TempSchema();
        File.WriteAllText(System.IO.Path.Combine(schema.Path, file), text);
        return schema;
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
