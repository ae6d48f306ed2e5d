using System.Text;
using Microsoft.Extensions.Options;

namespace SmartSeal.Cloud.LiveFeed;

/// <summary>
/// <c>GET /api/events/stream[?device=id]</c>: server-sent events for the portal — <c>alarm</c>,
/// <c>presence</c> and <c>device-event</c> — with a keep-alive comment when idle. A client that
/// reconnects with <c>Last-Event-ID</c> gets what it missed from the in-memory ring, or a
/// <c>reset</c> event when that is no longer possible (too old, or the host restarted). Open to every
/// signed-in user: each sees their own notifications (<c>urge</c>), keepers also the devices and
/// seals of the units they keep (<see cref="LiveFeedAudience"/>).
/// </summary>
public static class LiveFeedApi
{
    public static RouteHandlerBuilder MapLiveFeedApi(this IEndpointRouteBuilder app) =>
        app.MapLiveFeedStream("/api/events/stream")
            .WithTags("Live feed")
            .WithSummary("Server-sent events: alarms, presence changes, newly stored device events (keepers, of their units); the caller's own notifications (everyone)")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .RequireAuthorization();

    /// <summary>The stream at <paramref name="pattern"/>, for surfaces that add their own authorization (the portal's cookie).</summary>
    public static RouteHandlerBuilder MapLiveFeedStream(this IEndpointRouteBuilder app, string pattern) => app.MapGet(pattern, StreamAsync);

    /// <summary>How often a running stream re-reads which devices and seals its caller may watch.</summary>
    private static readonly TimeSpan AudienceRefresh = TimeSpan.FromSeconds(30);

    public static async Task StreamAsync(
        HttpContext context, LiveFeedHub hub, Devices.DeviceRepository deviceRegistry, ILiveFeedSeals sealRegister, IOptionsMonitor<LiveFeedOptions> options, string? device, string? lastEventId)
    {
        CancellationToken aborted = context.RequestAborted;
        Organisation.CallerScope caller = Organisation.CallerScope.Of(context.User);
        LiveFeedAudience audience = await LiveFeedAudience.ForAsync(caller, deviceRegistry, sealRegister, aborted);
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer the stream

        // The header is what browsers send on reconnect; the query parameter serves clients that cannot set it.
        string? resumeFrom = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        using LiveFeedHub.Subscription subscription = hub.Subscribe(string.IsNullOrWhiteSpace(device) ? null : device, resumeFrom, audience);
        long audienceRead = Environment.TickCount64;
        var text = new StringBuilder("retry: 3000\n\n");
        if (subscription.Gap)
        {
            text.Append("event: reset\ndata: {\"reason\":\"events since Last-Event-ID are no longer available; reload\"}\n\n");
        }

        foreach (LiveEvent missed in subscription.Missed)
        {
            Append(text, missed);
        }

        try
        {
            await FlushAsync(response, text, aborted);
            TimeSpan keepAlive = options.CurrentValue.KeepAlive;
            while (!aborted.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                idle.CancelAfter(keepAlive);
                try
                {
                    if (!await subscription.Events.WaitToReadAsync(idle.Token))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    text.Append(": keep-alive\n\n");
                }

                if (!caller.Everything && Environment.TickCount64 - audienceRead > AudienceRefresh.TotalMilliseconds)
                {
                    subscription.ChangeAudience(await LiveFeedAudience.ForAsync(caller, deviceRegistry, sealRegister, aborted));
                    audienceRead = Environment.TickCount64;
                }

                while (subscription.Events.TryRead(out LiveEvent? liveEvent))
                {
                    Append(text, liveEvent);
                }

                await FlushAsync(response, text, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static void Append(StringBuilder text, LiveEvent liveEvent) =>
        text.Append("id: ").Append(liveEvent.Id).Append("\nevent: ").Append(liveEvent.Event).Append("\ndata: ").Append(liveEvent.Data).Append("\n\n");

    private static async Task FlushAsync(HttpResponse response, StringBuilder text, CancellationToken cancellationToken)
    {
        if (text.Length > 0)
        {
            await response.WriteAsync(text.ToString(), cancellationToken);
            text.Clear();
        }

        await response.Body.FlushAsync(cancellationToken);
    }
}
