using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SmartSeal.Cloud.Api;

/// <summary>
/// Malformed requests (unreadable JSON, wrong types, oversized bodies) are the client's fault:
/// 400 (or 413) problem details naming what was wrong, never a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        logger.LogInformation("Bad request to {Path}: {Message}", httpContext.Request.Path, bad.InnerException?.Message ?? bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Malformed request",
                Detail = bad.InnerException?.Message ?? bad.Message,
                Type = "https://smartseal.dev/problems/malformed-request",
            },
        });
    }
}
