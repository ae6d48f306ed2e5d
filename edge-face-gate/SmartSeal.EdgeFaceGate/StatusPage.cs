using System.Net;
using System.Text;
using System.Text.Json;

namespace SmartSeal.EdgeFaceGate;

/// <summary>
/// A small local page (<c>http://127.0.0.1:{port}/</c>, JSON at <c>/status.json</c>) for the
/// installer: input, cabinet, gallery size, link, last decisions. Loopback only; it shows
/// subjects' logins and scores, never an image.
/// </summary>
public sealed class StatusPage(GateStatus status, int port) : IDisposable
{
    private readonly HttpListener _listener = new();

    public string Url => $"http://127.0.0.1:{port}/";

    public void Start(CancellationToken cancellationToken)
    {
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(() => ServeAsync(cancellationToken), cancellationToken);
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && _listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            bool json = context.Request.Url?.AbsolutePath == "/status.json";
            byte[] body = Encoding.UTF8.GetBytes(json ? Json() : Html());
            context.Response.ContentType = json ? "application/json" : "text/html; charset=utf-8";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, cancellationToken);
            context.Response.Close();
        }
    }

    public string Json() => JsonSerializer.Serialize(new
    {
        status.Input, status.InputState, status.Frames, status.UnreadableFrames, status.CabinetId, status.GalleryPeople, status.GalleryTemplates,
        status.LastSyncMs, status.LastSyncBytes, status.SyncState, status.LinkConnected, status.OutboxPending,
        Decisions = status.Recent().Select(d => new { d.AtMs, State = d.State.ToString(), d.Subject, d.Score, d.Margin, d.Liveness, d.Frames, d.Reason, d.Seq, d.PhotoId }),
    }, StatusPageJson.Options);

    public string Html()
    {
        var html = new StringBuilder("<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=2><title>SmartSeal gate</title><h1>SmartSeal gate</h1><table>");
        void Row(string name, object? value) => html.Append("<tr><th align=left>").Append(name).Append("</th><td>").Append(WebUtility.HtmlEncode(value?.ToString() ?? "-")).Append("</td></tr>");
        Row("input", $"{status.Input} ({status.InputState})");
        Row("frames", $"{status.Frames} ({status.UnreadableFrames} unreadable)");
        Row("cabinet", status.CabinetId);
        Row("gallery", $"{status.GalleryPeople} people, {status.GalleryTemplates} templates");
        Row("template sync", $"{status.SyncState}, {status.LastSyncBytes} bytes at {(status.LastSyncMs is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("u") : "-")}");
        Row("cloud link", $"{(status.LinkConnected ? "connected" : "disconnected")}, {status.OutboxPending} unacknowledged");
        html.Append("</table><h2>Last decisions</h2><ol>");
        foreach (DecisionLogEntry entry in status.Recent())
        {
            html.Append("<li>").Append(WebUtility.HtmlEncode(entry.ToString())).Append("</li>");
        }

        return html.Append("</ol>").ToString();
    }

    public void Dispose()
    {
        if (_listener.IsListening)
        {
            _listener.Stop();
        }

        _listener.Close();
    }
}

internal static class StatusPageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
