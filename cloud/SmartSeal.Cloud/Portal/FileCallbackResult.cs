using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace SmartSeal.Cloud.Portal;

/// <summary>A download written straight to the response (large CSV exports are never buffered).</summary>
public sealed class FileCallbackResult(string contentType, string fileName, Func<Stream, CancellationToken, Task> write) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        HttpResponse response = context.HttpContext.Response;
        response.ContentType = contentType;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        response.Headers.ContentDisposition = disposition.ToString();
        await write(response.Body, context.HttpContext.RequestAborted);
    }
}
