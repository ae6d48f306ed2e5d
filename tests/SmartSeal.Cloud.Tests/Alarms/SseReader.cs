using System.Text;

namespace SmartSeal.Cloud.Tests.Alarms;

/// <summary>Reads a server-sent events stream: events (id, event, data) and comment lines, as the server framed them.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public List<string> Comments { get; } = [];

    /// <summary>The next event (comments and the retry field are collected or skipped); fails the test on timeout.</summary>
    public async Task<SseEvent> NextAsync(TimeSpan? timeout = null) => (await ReadAsync(timeout, stopAtComment: false))!;

    /// <summary>Reads up to the next comment line (a keep-alive, when the stream is idle) and returns it; fails the test on timeout.</summary>
    public async Task<string> NextCommentAsync(TimeSpan? timeout = null)
    {
        await ReadAsync(timeout, stopAtComment: true);
        return Comments[^1];
    }

    private async Task<SseEvent?> ReadAsync(TimeSpan? timeout, bool stopAtComment)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        string? id = null, name = null;
        var data = new StringBuilder();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException(stopAtComment ? "no comment arrived in time" : "no server-sent event arrived in time");
            }

            Assert.NotNull(line); // the stream must stay open
            if (line.Length == 0)
            {
                if (name != null || data.Length > 0)
                {
                    return new SseEvent(id, name ?? "message", data.ToString());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                Comments.Add(line[1..].Trim());
                if (stopAtComment)
                {
                    return null;
                }
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data.Append(line[6..]);
            }
        }
    }

    /// <summary>Skips events until one matches.</summary>
    public async Task<SseEvent> NextAsync(Func<SseEvent, bool> match)
    {
        DateTime until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            SseEvent next = await NextAsync(until - DateTime.UtcNow);
            if (match(next))
            {
                return next;
            }
        }
    }

    public void Dispose() => _reader.Dispose();
}

public sealed record SseEvent(string? Id, string Event, string Data);
