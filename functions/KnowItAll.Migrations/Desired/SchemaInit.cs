using System.Text;
using System.Text.RegularExpressions;
using KnowItAll.Migrations.Catalog;
using KnowItAll.Migrations.Diff;
using KnowItAll.Migrations.Kinds;
using KnowItAll.Migrations.Model;
using KnowItAll.Migrations.Planning;
using Npgsql;

namespace KnowItAll.Migrations.Desired;

/// <summary>
/// The first schema/ of an existing database (<c>knowitall schema init</c>): the statements a plan from an empty
/// schema to the live one would run, laid out for review, one file per table with what belongs to it (its sequences,
/// indexes, checks, row security, policies, triggers, comments and grants), and files for the schema, types,
/// functions, foreign keys and views around them. The files run in name order, each statement after what it needs.
/// </summary>
public static partial class SchemaInit
{
    private const string SchemaFile = "00_schema.sql";
    private const string TypesFile = "10_types.sql";
    private const string SequencesFile = "20_sequences.sql";
    private const string FunctionsFile = "30_functions.sql";
    private const string ForeignKeysFile = "70_foreign_keys.sql";
    private const string ViewsFile = "80_views.sql";
    private const string LateFunctionsFile = "85_functions_on_row_types.sql";
    private const string OtherFile = "90_grants_and_comments.sql";

    /// <summary>The files, by name, in the order they run; <paramref name="origin"/> is said in each file's first line (no secret in it).</summary>
    public static async Task<IReadOnlyList<SchemaFile>> WriteAsync(NpgsqlConnection connection, MigrationOptions options, string origin,
        CancellationToken ct)
    {
        var live = await CatalogReader.ReadAsync(connection, options.TargetSchema, options.LockTimeout, ct);
        if (live.Tables.Count == 0 && live.Views.Count == 0 && live.Functions.Count == 0 && live.Sequences.Count == 0 && live.Enums.Count == 0)
            throw new MigrationException(MigrationErrors.InvalidInput,
                $"schema '{options.TargetSchema}' of {origin} has no tables, views, functions, sequences or types to write");
        // Extensions installed in other schemas (plpgsql in pg_catalog) are the database's, not this schema's.
        var desired = live with
        {
            Tables = live.Tables.Select(t => t with { HasRows = false }).ToList(),
            Extensions = live.Extensions.Where(e => e.Schema == options.TargetSchema).ToList(),
            // Owners are written only where a person states them: every object's would tie schema/ to the roles of one server.
            Owners = [],
        };
        var empty = new SchemaModel(options.TargetSchema, [], [], [], [], [], [], new HashSet<string>());
        var diff = SchemaComparer.Compare(desired, empty);
        var plan = await Planner.PlanAsync(desired, "", empty, "", diff, options,
            tables => Task.FromResult<IReadOnlyDictionary<string, TableSize>>(tables.ToDictionary(t => t, _ => TableSize.Empty)));

        var layout = new Layout(desired, options.TargetSchema);
        var files = new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal);
        var firstTable = plan.Statements.FirstOrDefault(s => s.Kind == StatementKind.Table)?.Order ?? int.MaxValue;
        foreach (var statement in plan.Statements)
        {
            var file = layout.FileOf(statement, statement.Order > firstTable);
            if (!files.TryGetValue(file, out var text))
            {
                files[file] = text =
                    new StringBuilder($"-- {Describe(file)}, as `knowitall schema init` read it from schema '{options.TargetSchema}' of {origin}.\n");
                // Bodies are checked when they run, not when they are created: a function may read a table created later.
                if (file is FunctionsFile or LateFunctionsFile) text.Append("SET check_function_bodies = false;\n");
            }
            text.Append('\n').Append(layout.SqlOf(statement).TrimEnd()).Append(";\n");
        }
        return files.Select(f => new SchemaFile("schema/" + f.Key, f.Value.ToString())).ToList();
    }

    private static string Describe(string file) => file switch
    {
        SchemaFile => "The schema's extensions, grants and comment",
        TypesFile => "Types",
        SequencesFile => "Sequences no table owns",
        FunctionsFile => "Functions and procedures",
        ForeignKeysFile => "Foreign keys, once every table exists",
        ViewsFile => "Views and materialized views, with their indexes, comments and grants",
        LateFunctionsFile => "Functions whose arguments or result are a table's or view's row type",
        OtherFile => "Grants and comments on functions and other objects",
        _ => $"Table {file[(file.IndexOf('_', 3) + 1)..^4]}: its sequences, columns, checks, indexes, row security, policies, triggers, comments " +
            "and grants",
    };

    /// <summary>Which file each planned statement belongs to.</summary>
    private sealed class Layout
    {
        private readonly string _schema;
        private readonly Dictionary<string, string> _tableFiles = new(StringComparer.Ordinal);
        private readonly HashSet<string> _views;
        private readonly Dictionary<string, string> _indexTables;
        private readonly Dictionary<string, string?> _sequenceTables;
        private readonly Dictionary<string, ConstraintModel> _constraints;

        public Layout(SchemaModel model, string schema)
        {
            _schema = schema;
            // Partitioned tables before their partitions: a partition's file names its parent.
            var ordered = new List<TableModel>();
            var pending = model.Tables.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
            while (pending.Count > 0)
            {
                var ready = pending.Where(t => t.PartitionOf is null || ordered.Any(o => o.Name == t.PartitionOf)
                    || pending.All(p => p.Name != t.PartitionOf)).ToList();
                ordered.AddRange(ready);
                pending.RemoveAll(ready.Contains);
            }
            var width = ordered.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
            for (var n = 0; n < ordered.Count; n++)
                _tableFiles[ordered[n].Name] =
                    $"40_{(n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}_{FileSafe(ordered[n].Name)}.sql";
            _views = model.Views.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            _indexTables = model.Indexes.ToDictionary(i => i.Name, i => i.Table, StringComparer.Ordinal);
            _sequenceTables = model.Sequences.ToDictionary(s => s.Name, s => s.OwnedByTable, StringComparer.Ordinal);
            _constraints = model.Constraints.ToDictionary(c => $"{c.Table}.{c.Name}", StringComparer.Ordinal);
        }

        public string FileOf(PlannedStatement s, bool afterTables) => KindRegistry.InitFile(s.Kind) switch
        {
            InitFile.Schema => SchemaFile,
            InitFile.Types => TypesFile,
            InitFile.Sequence => Sequence(s.ObjectName, owner: false),
            InitFile.SequenceOwner => Sequence(s.ObjectName, owner: true),
            InitFile.Functions => afterTables ? LateFunctionsFile : FunctionsFile,
            InitFile.Views => ViewsFile,
            InitFile.ForeignKey when Constraint(s.ObjectName) is { Type: 'f' } => ForeignKeysFile,
            InitFile.Index => Relation(_indexTables.GetValueOrDefault(s.ObjectName)),
            InitFile.Comment => Comment(s.ObjectName),
            InitFile.Grant => Grant(s.Sql),
            _ => Relation(TableOf(s.ObjectName)),
        };

        /// <summary>
        /// The statement as schema/ holds it: a constraint as ALTER TABLE ... ADD CONSTRAINT, without the guard that makes
        /// the plan's statement harmless to rerun.
        /// </summary>
        public string SqlOf(PlannedStatement s) => s.Kind == StatementKind.Constraint && Constraint(s.ObjectName) is { } c
            ? $"ALTER TABLE {Identifier.Qualify(_schema, c.Table)} ADD CONSTRAINT {Identifier.Quote(c.Name)} " +
                $"{c.Definition}{(c.IsValidated ? "" : " NOT VALID")}"
            : s.Sql;

        private ConstraintModel? Constraint(string objectName) => _constraints.GetValueOrDefault(objectName);

        /// <summary>A sequence a table owns is created in that table's file, before the table whose default reads it.</summary>
        private string Sequence(string name, bool owner) =>
            _sequenceTables.GetValueOrDefault(name) is { } table && _tableFiles.TryGetValue(table, out var file) ? file : owner ? OtherFile
            : SequencesFile;

        private string Relation(string? name) =>
            name is null ? OtherFile : _tableFiles.TryGetValue(name, out var file) ? file : _views.Contains(name) ? ViewsFile : OtherFile;

        /// <summary>"table", "table.column" or "table.constraint": the longest table name it starts with.</summary>
        private string? TableOf(string objectName) =>
            _tableFiles.Keys.Concat(_views).Where(t => objectName == t || objectName.StartsWith(t + ".", StringComparison.Ordinal))
            .MaxBy(t => t.Length);

        private string Comment(string key)
        {
            var space = key.IndexOf(' ', StringComparison.Ordinal);
            var (type, identity) = (key[..space], key[(space + 1)..]);
            if (type == "MATERIALIZED") return ViewsFile;
            var on = identity.LastIndexOf(" on ", StringComparison.Ordinal);
            var names = Names(on >= 0 ? identity[(on + 4)..] : identity);
            var name = names.Count >= 2 && names[0] == _schema ? names[1] : null;
            return type switch
            {
                "SCHEMA" or "EXTENSION" => SchemaFile,
                "TYPE" => TypesFile,
                "SEQUENCE" when name is not null => Sequence(name, owner: false),
                "INDEX" when name is not null => Relation(_indexTables.GetValueOrDefault(name)),
                "TABLE" or "COLUMN" or "VIEW" or "CONSTRAINT" or "TRIGGER" or "POLICY" => Relation(name),
                _ => OtherFile,
            };
        }

        private string Grant(string sql)
        {
            var m = GrantTarget().Match(sql);
            if (!m.Success) return OtherFile;
            var name = m.Groups["name"].Value.Replace("\"\"", "\"", StringComparison.Ordinal);
            return m.Groups["kind"].Value switch
            {
                "SCHEMA" => SchemaFile,
                "SEQUENCE" => Sequence(name, owner: false),
                "TABLE" => Relation(name),
                _ => OtherFile,
            };
        }

        /// <summary>The parts of a dotted identity as PostgreSQL quotes it (<c>public."Order".id</c>).</summary>
        private static List<string> Names(string identity)
        {
            var names = new List<string>();
            var current = new StringBuilder();
            for (var i = 0; i < identity.Length; i++)
            {
                var c = identity[i];
                if (c == '"')
                {
                    for (i++; i < identity.Length; i++)
                    {
                        if (identity[i] == '"' && (i + 1 >= identity.Length || identity[i + 1] != '"')) break;
                        if (identity[i] == '"') i++;
                        current.Append(identity[i]);
                    }
                }
                else if (c == '.')
                {
                    names.Add(current.ToString());
                    current.Clear();
                }
                else current.Append(c);
            }
            names.Add(current.ToString());
            return names;
        }

        private static string FileSafe(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
    }

    [GeneratedRegex(@" ON (?<kind>SCHEMA|SEQUENCE|TABLE|ROUTINE) (?:""(?:[^""]|"""")+""\.)?""(?<name>(?:[^""]|"""")+)""")]
    private static partial Regex GrantTarget();
}
