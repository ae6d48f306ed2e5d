using Microsoft.AspNetCore.Mvc;

namespace SmartSeal.Cloud.Api;

/// <summary>RFC 7807 problem details the API areas return.</summary>
public static class Problems
{
    public static ProblemDetails NotFound(string detail) => new() { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = detail, Type = "https://smartseal.dev/problems/not-found" };

    public static ProblemDetails Forbidden(string detail) => new() { Status = StatusCodes.Status403Forbidden, Title = "Forbidden", Detail = detail, Type = "https://smartseal.dev/problems/forbidden" };

    public static ProblemDetails Conflict(string detail) => new() { Status = StatusCodes.Status409Conflict, Title = "Conflict", Detail = detail, Type = "https://smartseal.dev/problems/conflict" };
}
