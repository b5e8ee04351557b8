using System.Text.RegularExpressions;
using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Planning;

/// <summary>
/// The tables, views, types and functions of the managed schemas by name, to find the ones a definition names. PostgreSQL's
/// deparsed definitions (pg_get_viewdef, pg_get_indexdef, format_type, ...) qualify every name of a managed schema, so only
/// qualified names are looked up; a name followed by a parenthesis is a function's when the schema has one of that name, any
/// other a relation's or type's. Literals and dollar-quoted bodies are data, never read.
/// </summary>
internal sealed partial class ObjectNames
{
    private readonly Dictionary<(string Schema, string Name), string> _relations = [];
    private readonly Dictionary<(string Schema, string Name), string> _types = [];
    private readonly Dictionary<(string Schema, string Name), List<string>> _functions = [];

    public void Add(SchemaModel model)
    {
        foreach (var n in KindRegistry.All.SelectMany(k => k.Named(model)))
        {
            var name = (model.Schema, n.Name);
            if (n.Space == NameSpace.Relation) _relations.TryAdd(name, n.Key);
            else if (n.Space == NameSpace.Type) _types.TryAdd(name, n.Key);
            else if (_functions.TryGetValue(name, out var overloads)) overloads.Add(n.Key);
            else _functions[name] = [n.Key];
        }
    }

    /// <summary>The table or view of that name, if the schema has one.</summary>
    public string? Relation(string schema, string name) => _relations.GetValueOrDefault((schema, name));

    /// <summary>Every function of that name (each overload: a call may mean any of them).</summary>
    public IReadOnlyList<string> Functions(string schema, string name) => _functions.TryGetValue((schema, name), out var keys) ? keys : [];

    /// <summary>The objects of the managed schemas <paramref name="sql"/> names, each once, in the order it first names them.</summary>
    public List<string> In(params IEnumerable<string?> sql)
    {
        var keys = new List<string>();
        foreach (var text in sql)
        {
            if (string.IsNullOrEmpty(text)) continue;
            foreach (Match m in QualifiedName().Matches(text))
            {
                if (!m.Groups["schema"].Success) continue;
                var name = (Unquote(m.Groups["schema"].Value), Unquote(m.Groups["name"].Value));
                // A parenthesis follows a function's name, and a foreign key's referenced table (REFERENCES t(id)).
                if (m.Groups["call"].Success && _functions.TryGetValue(name, out var overloads)) keys.AddRange(overloads);
                else if (_relations.TryGetValue(name, out var key) || _types.TryGetValue(name, out key)) keys.Add(key);
            }
        }
        return [.. keys.Distinct(StringComparer.Ordinal)];
    }

    private static string Unquote(string identifier) =>
        identifier.StartsWith('"') ? identifier[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : identifier;

    // A literal or a dollar-quoted text is matched whole so that nothing inside it is read as a name.
    [GeneratedRegex("""'(?:[^']|'')*'|\$(?<tag>[A-Za-z_]\w*|)\$[\s\S]*?\$\k<tag>\$|""" +
        """(?<schema>"(?:[^"]|"")+"|[A-Za-z_][\w$]*)\.(?<name>"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?<call>\s*\()?""")]
    private static partial Regex QualifiedName();
}
