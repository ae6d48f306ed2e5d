using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using SmartSeal.Cloud.Organisation.Authorization;
using SmartSeal.Cloud.Security;

namespace SmartSeal.Cloud.Organisation;

public static class OrganisationRegistration
{
    /// <summary>
    /// Units, users, sign-in, and the "Bearer" policy scheme that sends user tokens to
    /// <see cref="UserTokenAuthenticationHandler"/> and everything else to the API key handler, so
    /// every role policy accepts either.
    /// </summary>
    public static void AddOrganisation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrganisationOptions>().BindConfiguration(OrganisationOptions.Section);
        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddSingleton<OrgStore>();
        builder.Services.AddSingleton<OrgDirectory>();
        builder.Services.AddSingleton<AuthService>();
        builder.Services.AddUnitAuthority();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = BearerSchemes.SchemeName;
                options.DefaultAuthenticateScheme = BearerSchemes.SchemeName;
                options.DefaultChallengeScheme = BearerSchemes.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, UserTokenAuthenticationHandler>(UserTokenAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(BearerSchemes.SchemeName, "API key or user token", options => options.ForwardDefaultSelector = BearerSchemes.Select);
    }
}
