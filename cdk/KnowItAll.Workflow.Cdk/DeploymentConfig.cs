using System.Text.Json;
using System.Text.Json.Serialization;
using KnowItAll.Workflow.Functions;

namespace KnowItAll.Workflow.Cdk;

/// <summary>
/// Everything environment-specific, committed in cdk/environments.json, so a synth needs no AWS credentials and
/// makes no lookups: accounts, VPCs, subnets, security groups and the database secret are named here.
/// </summary>
public sealed record DeploymentConfig(string Account, string Region, RepositoryConfig Repository, IReadOnlyDictionary<string,
    EnvironmentConfig> Environments)
{
    private static readonly JsonSerializerOptions Options =
        new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip };

    public static DeploymentConfig Load(string path)
    {
        var config = JsonSerializer.Deserialize<DeploymentConfig>(File.ReadAllText(path), Options)
            ?? throw new InvalidOperationException($"{path} is empty");
        foreach (var (name, environment) in config.Environments) environment.Check(name, path);
        return config;
    }
}

public sealed record RepositoryConfig(string Owner, string Name, string ConnectionArn);

public sealed record EnvironmentConfig(
    string Branch,
    string VpcId,
    IReadOnlyList<string> AvailabilityZones,
    IReadOnlyList<string> PrivateSubnetIds,
    string DatabaseSecurityGroupId,
    int DatabasePort,
    string DatabaseSecretArn,
    string? DatabaseSecretKmsKeyArn,
    int LogRetentionDays,
    bool ManualApproval,
    int ReportRetentionDays = 90,
    bool RequireApproval = false,
    int ApprovalTimeoutSeconds = ApprovalPolicy.DefaultTimeoutSeconds,
    IReadOnlyList<string>? AllowHazards = null)
{
    [JsonIgnore]
    public bool HasKmsKey => !string.IsNullOrEmpty(DatabaseSecretKmsKeyArn);

    /// <summary>requireApproval: applies wait after Plan until a person approves the exact plan (knowitall workflow approve).</summary>
    [JsonIgnore]
    public ApprovalPolicy Approval => new(RequireApproval, ApprovalTimeoutSeconds);

    internal void Check(string name, string path)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidOperationException($"{path}: environment '{name}': {what}");
        }
        Require(PrivateSubnetIds.Count > 0 && PrivateSubnetIds.Count == AvailabilityZones.Count,
            "privateSubnetIds and availabilityZones must pair up");
        Require(DatabaseSecretArn.StartsWith("arn:aws:secretsmanager:", StringComparison.Ordinal), "databaseSecretArn must be a Secrets Manager ARN");
        Require(DatabasePort is > 0 and < 65536, "databasePort must be a port");
        Require(ReportRetentionDays is > 0 and <= 3650, "reportRetentionDays must be 1 to 3650 days");
        try
        {
            KnowItAll.Migrations.Planning.OptInHazards.Parse(string.Join(',', AllowHazards ?? []), "allowHazards");
        }
        catch (KnowItAll.Migrations.MigrationException e)
        {
            Require(false, e.Message);
        }
        Require(ApprovalTimeoutSeconds is > 0 and <= ApprovalPolicy.MaxTimeoutSeconds,
            $"approvalTimeoutSeconds must be 1 to {ApprovalPolicy.MaxTimeoutSeconds} (7 days)");
    }
}
