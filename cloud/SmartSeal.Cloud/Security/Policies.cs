namespace SmartSeal.Cloud.Security;

/// <summary>Authorization policies by role (sysadmin can do everything).</summary>
public static class Policies
{
    public const string Keeper = "keeper";
    public const string SysAdmin = "sysadmin";
    public const string Auditor = "auditor";
    public const string Approver = "approver";
    public const string Applicant = "applicant";

    public static void AddSmartSealPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder)
    {
        builder.AddPolicy(Keeper, p => p.RequireRole(Roles.Keeper, Roles.SysAdmin));
        builder.AddPolicy(SysAdmin, p => p.RequireRole(Roles.SysAdmin));
        builder.AddPolicy(Auditor, p => p.RequireRole(Roles.Auditor, Roles.Keeper, Roles.SysAdmin));
        builder.AddPolicy(Approver, p => p.RequireRole(Roles.Approver, Roles.SysAdmin));
        builder.AddPolicy(Applicant, p => p.RequireRole(Roles.Applicant, Roles.SysAdmin));
    }
}
