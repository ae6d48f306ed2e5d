using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Text;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Alarms;

/// <summary>
/// A local HTTP receiver (HttpListener on 127.0.0.1) standing in for webhook endpoints and chat
/// robots: records every request and answers per path — robot-style JSON replies, or failures for
/// the first N requests to a path.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, int> _failuresLeft = new();
    private readonly ConcurrentDictionary<string, string> _replies = new();

    public WebhookReceiver()
    {
        Port = CloudFactory.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url(string pathAndQuery) => $"http://127.0.0.1:{Port}{pathAndQuery}";

    /// <summary>The first <paramref name="count"/> requests to <paramref name="path"/> get HTTP 500.</summary>
    public void FailFirst(string path, int count) => _failuresLeft[path] = count;

    /// <summary>What <paramref name="path"/> answers with HTTP 200 (JSON).</summary>
    public void Reply(string path, string json) => _replies[path] = json;

    public IReadOnlyList<ReceivedRequest> Requests(string path) => _requests.Where(r => r.Path == path).ToList();

    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(string path, Func<ReceivedRequest, bool> match, int count = 1, TimeSpan? timeout = null) =>
        await Eventually.ValueAsync(
            () => Requests(path).Where(match).ToList() is { } found && found.Count >= count ? found : null,
            $"{path}: {count} matching requests arrived",
            timeout ?? TimeSpan.FromSeconds(15));

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            string path = context.Request.Url!.AbsolutePath;
            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(buffer);
                body = buffer.ToArray();
            }

            bool fail = _failuresLeft.TryGetValue(path, out int left) && left > 0;
            if (fail)
            {
                _failuresLeft[path] = left - 1;
            }

            int status = fail ? 500 : 200;
            _requests.Enqueue(new ReceivedRequest(path, context.Request.QueryString, context.Request.Headers, body, status));
            context.Response.StatusCode = status;
            byte[] reply = Encoding.UTF8.GetBytes(fail ? "{\"error\":\"try later\"}" : _replies.GetValueOrDefault(path, "{}"));
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(reply);
            context.Response.Close();
        }
    }
}

/// <summary>One request the receiver got, and the status it answered.</summary>
public sealed record ReceivedRequest(string Path, NameValueCollection Query, NameValueCollection Headers, byte[] Body, int AnsweredStatus)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
