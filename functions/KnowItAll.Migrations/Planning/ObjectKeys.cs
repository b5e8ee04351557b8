namespace KnowItAll.Migrations.Planning;

/// <summary>
/// The keys that name an object a planned statement creates or needs (<see cref="PlanStatements"/> orders by them). A table's
/// and a view's keys differ, so a key says which statement kind makes it; a function is keyed by its signature.
/// </summary>
internal static class ObjectKeys
{
    public static string Table(string schema, string name) => Key("table", schema, name);

    public static string View(string schema, string name) => Key("view", schema, name);

    public static string Index(string schema, string name) => Key("index", schema, name);

    public static string Function(string schema, string signature) => Key("function", schema, signature);

    /// <summary>An enum, domain, composite or range type.</summary>
    public static string Type(string schema, string name) => Key("type", schema, name);

    public static string Constraint(string schema, string table, string name) => Key("constraint", schema, $"{table}.{name}");

    /// <summary>A key as an error shows it: "view public.items".</summary>
    public static string Describe(string key) => key.Replace(':', ' ');

    private static string Key(string kind, string schema, string name) => $"{kind}:{schema}.{name}";
}
