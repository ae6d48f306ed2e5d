using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SmartSeal.Cloud.Tests.Authorization;

/// <summary>One mapped endpoint as the matrix keys it: "GET /api/devices/{id}", or "PAGE /Devices/Detail/{id?}" for a portal page (all methods).</summary>
public sealed record MappedEndpoint(string Key, bool HasPolicy, string DisplayName);

/// <summary>
/// Every endpoint the running host maps, read from its <see cref="EndpointDataSource"/> (not a
/// hand-kept list), and the check that each has authorization metadata (a policy or an explicit
/// anonymous marker) and a row in the matrix.
/// </summary>
public static class EndpointInventory
{
    public static IReadOnlyList<MappedEndpoint> Of(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().SelectMany(Keys).DistinctBy(e => e.Key).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();

    /// <summary>The problems, one line per endpoint: no authorization metadata, or no row in <paramref name="rows"/>.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<MappedEndpoint> endpoints, IReadOnlyCollection<string> rows)
    {
        var problems = new List<string>();
        foreach (MappedEndpoint endpoint in endpoints)
        {
            if (!endpoint.HasPolicy)
            {
                problems.Add($"{endpoint.Key} ({endpoint.DisplayName}) has no authorization metadata: add RequireAuthorization(policy) or, if it is anonymous by design, AllowAnonymous() and a row saying so");
            }

            if (!rows.Contains(endpoint.Key))
            {
                problems.Add($"{endpoint.Key} ({endpoint.DisplayName}) has no row in the authorization matrix (AuthorizationMatrix.Rows)");
            }
        }

        return problems;
    }

    public static string Normalize(string pattern)
    {
        string path = "/" + pattern.Trim('/');
        return path;
    }

    private static IEnumerable<MappedEndpoint> Keys(RouteEndpoint endpoint)
    {
        bool policy = endpoint.Metadata.GetMetadata<IAllowAnonymous>() != null || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0;
        string path = Normalize(endpoint.RoutePattern.RawText ?? string.Empty);
        string name = endpoint.DisplayName ?? path;
        if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() != null || endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() != null)
        {
            yield return new MappedEndpoint("PAGE " + path, policy, name);
            yield break;
        }

        IReadOnlyList<string> methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
        foreach (string method in methods)
        {
            yield return new MappedEndpoint(method + " " + path, policy, name);
        }
    }
}
