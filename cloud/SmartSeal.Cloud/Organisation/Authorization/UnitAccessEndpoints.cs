using SmartSeal.Cloud.Api;
namespace SmartSeal.Cloud.Organisation.Authorization;

/// <summary>Endpoint metadata: the endpoint acts on the object whose id is the route (or query) value <see cref="Parameter"/>.</summary>
public sealed record UnitAccessMetadata(ObjectKind Kind, string Parameter, UnitRight Right);

/// <summary>
/// <c>.RequireUnitAccess(ObjectKind.Device, "id")</c>: after the role policy (401/403), the
/// endpoint runs only if <see cref="UnitAuthority"/> allows the caller the right on that object;
/// otherwise 404 (the caller cannot see it: its existence is not confirmed) or 403 (they see it
/// but hold no right to act). A request without the value (a list) goes on: the handler filters.
/// </summary>
public static class UnitAccessEndpoints
{
    public static TBuilder RequireUnitAccess<TBuilder>(this TBuilder builder, ObjectKind kind, string parameter, UnitRight right = UnitRight.Keep)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new UnitAccessMetadata(kind, parameter, right));
        builder.AddEndpointFilter(async (context, next) =>
        {
            HttpContext http = context.HttpContext;
            string? id = http.Request.RouteValues[parameter]?.ToString() ?? http.Request.Query[parameter].FirstOrDefault();
            if (string.IsNullOrEmpty(id))
            {
                return await next(context);
            }

            UnitDecision decision = await http.RequestServices.GetRequiredService<UnitAuthority>().DecideAsync(http.User, right, kind, id, http.RequestAborted);
            return decision switch
            {
                UnitDecision.Allowed => await next(context),
                UnitDecision.Forbidden => TypedResults.Problem(Problems.Forbidden($"{http.User.Identity?.Name} may not {right.ToString().ToLowerInvariant()} {Name(kind)} {id}")),
                _ => TypedResults.Problem(Problems.NotFound($"no {Name(kind)} {id}")),
            };
        });
        return builder;
    }

    private static string Name(ObjectKind kind) => kind.ToString().ToLowerInvariant();
}
