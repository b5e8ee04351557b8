using System.Security.Cryptography;
using System.Text;

namespace KnowItAll.Migrations.Planning;

/// <summary>The plan hash: SHA-256 of the target schema and every statement with its transaction mode, in order.</summary>
public static class PlanHasher
{
    public static string Hash(string targetSchema, IEnumerable<PlannedStatement> statements)
    {
        var text = new StringBuilder(targetSchema).Append('\n');
        foreach (var s in statements) text.Append(s.Transactional ? "T " : "N ").Append(s.Sql).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static bool IsWellFormed(string hash) => hash.Length == 64 && hash.All(Uri.IsHexDigit);
}
