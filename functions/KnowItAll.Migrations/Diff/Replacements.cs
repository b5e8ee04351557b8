using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KnowItAll.Migrations.Model;

namespace KnowItAll.Migrations.Diff;

/// <summary>
/// What replacing an object by the online technique shares across kinds: the temporary name the new object is built
/// under (one name per object, so a run killed half-way finds what the last one built), and index definitions
/// compared without their names.
/// </summary>
internal static partial class Replacements
{
    private const string Suffix = "_knowitall_new";
    private const int MaxIdentifierBytes = 63;

    /// <summary>The name the replacement of <paramref name="name"/> is built under; a long name is cut and keeps a hash so two never meet.</summary>
    public static string Temporary(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) + Suffix.Length <= MaxIdentifierBytes) return name + Suffix;
        var hash = "_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        var room = MaxIdentifierBytes - Suffix.Length - hash.Length;
        var cut = new StringBuilder();
        foreach (var rune in name.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(cut.ToString()) + rune.Utf8SequenceLength > room) break;
            cut.Append(rune.ToString());
        }
        return cut + hash + Suffix;
    }

    /// <summary>pg_get_indexdef's text with the index's own name taken out: two indexes that differ only by name compare equal.</summary>
    public static string WithoutName(string definition)
    {
        var match = IndexHead().Match(definition);
        return match.Success ? match.Groups["head"].Value + definition[match.Length..] : definition;
    }

    /// <summary>An index definition under another name (the text pg_get_indexdef printed, the name quoted by the engine).</summary>
    public static string Renamed(string definition, string name)
    {
        var match = IndexHead().Match(definition);
        return match.Success ? match.Groups["head"].Value + Identifier.Quote(name) + definition[match.Length..] : definition;
    }

    /// <summary>Whether PostgreSQL's quoted identity of an object (pg_identify_object) names <paramref name="parts"/>, each quoted or not.</summary>
    public static bool Names(string identity, params string[] parts)
    {
        var at = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            if (p > 0)
            {
                if (at >= identity.Length || identity[at] != '.') return false;
                at++;
            }
            var quoted = Identifier.Quote(parts[p]);
            if (string.CompareOrdinal(identity, at, quoted, 0, quoted.Length) == 0) at += quoted.Length;
            else if (string.CompareOrdinal(identity, at, parts[p], 0, parts[p].Length) == 0) at += parts[p].Length;
            else return false;
        }
        return at == identity.Length;
    }

    /// <summary>The identity of a comment on a table constraint, trigger or policy: "name on schema.table".</summary>
    public static bool NamesOn(string identity, string schema, string name, string table)
    {
        foreach (var n in new[] { name, Identifier.Quote(name) })
            if (identity.StartsWith(n + " on ", StringComparison.Ordinal) && Names(identity[(n.Length + 4)..], schema, table)) return true;
        return false;
    }

    /// <summary>The live index a replacement was building, when one of its temporary name exists.</summary>
    public static IndexModel? TemporaryIndex(SchemaModel live, string name)
    {
        var temporary = Temporary(name);
        return live.Indexes.FirstOrDefault(i => i.Name == temporary);
    }

    // "CREATE [UNIQUE] INDEX name ON": the name as pg_get_indexdef quotes it.
    [GeneratedRegex("""^(?<head>CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")*"|[^ ]+)(?= ON )""")]
    private static partial Regex IndexHead();
}
