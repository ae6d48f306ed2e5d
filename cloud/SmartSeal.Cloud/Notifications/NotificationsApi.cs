using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmartSeal.Cloud.Api;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Notifications;

/// <summary>What a person sees of their choices, plus the channels this server can send on.</summary>
public sealed record NotificationSettingsView(NotificationSettings Settings, IReadOnlyList<string> AvailableChannels);

/// <summary>
/// <c>/api/notifications</c>: every signed-in user's own inbox (titles in <c>lang</c>, else their chosen
/// language), marking read, the deliveries of a notice to their work apps, and their channel choices.
/// Nobody reads or marks anyone else's notices.
/// </summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder group = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization();
        group.MapGet("", InboxAsync).WithSummary("The caller's notices, newest first (?unread=true, ?limit=50, ?lang=zh-CN|en) and how many are unread");
        group.MapPost("/{id:long}/read", MarkReadAsync).WithSummary("Marks one of the caller's notices read");
        group.MapPost("/read-all", MarkAllReadAsync).WithSummary("Marks all the caller's notices read; answers how many were unread");
        group.MapGet("/{id:long}/deliveries", DeliveriesAsync).WithSummary("The work-notice deliveries of one of the caller's notices: channel, status, attempts, last error");
        group.MapGet("/settings", SettingsAsync).WithSummary("The caller's notice language, chosen channels and platform user ids; the channels this server can send on");
        group.MapPut("/settings", SaveSettingsAsync).WithSummary("Replaces the caller's choices; an unknown or unconfigured channel, a channel without its user id, or an unknown language is a 400 and nothing is stored");
        return group;
    }

    public static async Task<Results<Ok<Inbox>, ValidationProblem>> InboxAsync(
        NotificationService notifications, NotificationSettingsStore settings, ClaimsPrincipal user, bool? unread, int? limit, string? lang, CancellationToken cancellationToken)
    {
        string login = OrganisationApi.Actor(user);
        if (lang is not null && !NoticeText.Languages.Contains(lang))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["lang"] = [$"'{lang}' is not a notice language; use {string.Join(" or ", NoticeText.Languages)}"] });
        }

        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 500"] });
        }

        string language = lang ?? (await settings.GetAsync(login, cancellationToken)).Language;
        return TypedResults.Ok(await notifications.InboxAsync(login, language, unread ?? false, limit ?? 50, cancellationToken));
    }

    public static async Task<Results<Ok<InboxNotice>, ValidationProblem, ProblemHttpResult>> MarkReadAsync(
        long id, NotificationService notifications, NotificationSettingsStore settings, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        string login = OrganisationApi.Actor(user);
        return OrganisationApi.Ok(await notifications.MarkReadAsync(login, id, (await settings.GetAsync(login, cancellationToken)).Language, cancellationToken));
    }

    public static async Task<Ok<MarkedRead>> MarkAllReadAsync(NotificationService notifications, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(new MarkedRead(await notifications.MarkAllReadAsync(OrganisationApi.Actor(user), cancellationToken)));

    public static async Task<Results<Ok<IReadOnlyList<NoticeDelivery>>, ProblemHttpResult>> DeliveriesAsync(
        long id, NotificationService notifications, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await notifications.DeliveriesAsync(OrganisationApi.Actor(user), id, cancellationToken) is { } deliveries
            ? TypedResults.Ok(deliveries)
            : TypedResults.Problem(Problems.NotFound($"you have no notice {id}"));

    public static async Task<Ok<NotificationSettingsView>> SettingsAsync(
        NotificationSettingsStore settings, WorkNoticeChannels channels, Microsoft.Extensions.Options.IOptionsMonitor<NotificationOptions> options, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(new NotificationSettingsView(await settings.GetAsync(OrganisationApi.Actor(user), cancellationToken), channels.Configured(options.CurrentValue)));

    public static async Task<Results<Ok<NotificationSettings>, ValidationProblem, ProblemHttpResult>> SaveSettingsAsync(
        NotificationSettingsRequest request, NotificationSettingsStore settings, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OrganisationApi.Ok(await settings.SaveAsync(OrganisationApi.Actor(user), request, cancellationToken));
}

/// <summary>How many notices a "read all" marked.</summary>
public sealed record MarkedRead(int Marked);
