using SmartSeal.Cloud.Notifications;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Applications;

/// <summary>
/// Tells people what an application's change means for them, after it committed: the approvers
/// now holding a step get "new task"; the applicant hears approved (and, for the cabinet, that the
/// seal is ready to collect), rejected or returned. The seal
/// is named, not numbered. A notice that fails is logged as an error and never undoes the decision.
/// </summary>
public sealed class ApplicationNotices(INotifications notifications, SealDirectory seals, ILogger<ApplicationNotices> logger)
{
    public async Task AfterChangeAsync(ApplicationRecord? before, ApplicationRecord after, string actor, CancellationToken cancellationToken)
    {
        ApprovalState state = after.State;
        bool statusChanged = before is null || before.State.Status != state.Status;
        bool newStep = state.Status == ApplicationStatus.Pending
                       && (before is null || statusChanged || before.State.Round != state.Round || before.State.CurrentStep != state.CurrentStep);
        NoticeKind? toApplicant = !statusChanged ? null : state.Status switch
        {
            ApplicationStatus.Approved => NoticeKind.Approved,
            ApplicationStatus.Rejected => NoticeKind.Rejected,
            ApplicationStatus.Returned => NoticeKind.Returned,
            _ => null,
        };
        if (!newStep && toApplicant is null)
        {
            return;
        }

        try
        {
            string? sealName = (await seals.NamesAsync([after.Content.SealId], cancellationToken)).GetValueOrDefault(after.Content.SealId);
            if (newStep)
            {
                await notifications.NotifyAsync(
                    state.Holders, new Notice(NoticeKind.NewTask, after.Applicant, sealName, after.Id, after.Content.Purpose, "/Approvals"), cancellationToken);
            }

            if (toApplicant is { } kind)
            {
                string link = "/Applications/Detail/" + Uri.EscapeDataString(after.Id);
                await notifications.NotifyAsync([after.Applicant], new Notice(kind, actor, sealName, after.Id, after.Content.Purpose, link), cancellationToken);
                if (kind == NoticeKind.Approved && after.Content.Mode == ApplicationMode.Cabinet)
                {
                    // The approval opened an awaiting cabinet checkout in its transaction: the seal may be collected now.
                    await notifications.NotifyAsync([after.Applicant], new Notice(NoticeKind.SealReady, null, sealName, after.Id, null, link, "ready:" + after.Id), cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Notices for application {Application} ({Status}) could not be written", after.Id, state.Status);
        }
    }
}
