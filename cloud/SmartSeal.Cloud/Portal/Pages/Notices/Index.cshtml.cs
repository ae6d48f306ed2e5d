using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using SmartSeal.Cloud.Notifications;
using SmartSeal.Cloud.Organisation;

namespace SmartSeal.Cloud.Portal.Pages.Notices;

/// <summary>
/// The signed-in person's notices (titles in the page's language; new ones arrive live through the
/// layout's notices region) and their choice of work apps: language, channels, their ids there.
/// </summary>
public sealed class IndexModel(
    NotificationService notifications, NotificationSettingsStore settings, WorkNoticeChannels channels, IOptionsMonitor<NotificationOptions> options,
    IStringLocalizer<PortalText> text) : PageModel
{
    public const int Shown = 100;

    public Inbox Inbox { get; private set; } = new([], 0);

    public IReadOnlyList<string> AvailableChannels { get; private set; } = [];

    [BindProperty]
    public string? Language { get; set; }

    [BindProperty]
    public List<string> Channels { get; set; } = [];

    [BindProperty]
    public string? DingTalkUser { get; set; }

    [BindProperty]
    public string? WeComUser { get; set; }

    [BindProperty]
    public string? FeishuUser { get; set; }

    private string Login => User.Identity!.Name!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        NotificationSettings mine = await settings.GetAsync(Login, cancellationToken);
        (Language, Channels, DingTalkUser, WeComUser, FeishuUser) = (mine.Language, [.. mine.Channels], mine.DingTalkUser, mine.WeComUser, mine.FeishuUser);
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostReadAsync(long id, CancellationToken cancellationToken)
    {
        ChangeResult<InboxNotice> result = await notifications.MarkReadAsync(Login, id, NoticeText.LanguageOf(CultureInfo.CurrentUICulture), cancellationToken);
        return result.Status == ChangeStatus.Ok ? RedirectToPage() : this.NotFoundPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        await notifications.MarkAllReadAsync(Login, cancellationToken);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken cancellationToken)
    {
        ChangeResult<NotificationSettings> saved = await settings.SaveAsync(
            Login, new NotificationSettingsRequest(Language, [.. Channels], DingTalkUser, WeComUser, FeishuUser), cancellationToken);
        if (saved.Status == ChangeStatus.Ok)
        {
            TempData["Flash"] = text["Notices.Saved"].Value;
            return RedirectToPage();
        }

        // The service's reasons name the field; the page says it in the reader's language.
        foreach (string field in saved.Problems?.Keys ?? [])
        {
            ModelState.AddModelError(field, text[field == "language" ? "Notices.BadLanguage" : "Notices.BadChannels"].Value);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public string ChannelName(string channel) => text["Notices.Channel." + channel].Value;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Inbox = await notifications.InboxAsync(Login, NoticeText.LanguageOf(CultureInfo.CurrentUICulture), false, Shown, cancellationToken);
        AvailableChannels = channels.Configured(options.CurrentValue);
    }
}
