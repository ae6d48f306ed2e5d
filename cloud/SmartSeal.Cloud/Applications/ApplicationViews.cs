namespace SmartSeal.Cloud.Applications;

/// <summary>An application as its applicant and approvers see it, with the timeline of its steps.</summary>
public sealed record ApplicationView(
    string Id, string Applicant, string ApplicantUnit, string SealId, string Purpose, ApplicationDocument[] Documents, int Stamps, ApplicationMode Mode,
    LocationLimit? Location, long WindowFromMs, long WindowToMs, Urgency Urgency, ApplicationStatus Status, long Version, string Chain, int Round,
    string? CurrentStep, string[] HeldBy, long? StepDueMs, long SubmittedMs, long? DecidedMs, long? LeadTimeMs, StepView[] Steps,
    string? Category = null, long? Amount = null, string? Authorisation = null)
{
    public static ApplicationView Of(ApplicationRecord a)
    {
        ApprovalState s = a.State;
        StepView[] steps = s.Steps.Select((step, i) => new StepView(i, step.Name, step.Mode, [.. step.Approvers], StepState(s, i),
            s.Votes.Where(v => v.Step == i).Select(v => new DecisionView(v.Round, v.Approver, v.Actor, v.Decision, v.Comment, v.AtMs, v.Part)).ToArray(),
            step.Parts?.Select(p => PartView.Of(s, i, p)).ToArray(), step.Post, step.UnitId, [.. step.Notes ?? []])).ToArray();
        ApplicationContent c = a.Content;
        return new ApplicationView(a.Id, a.Applicant, a.ApplicantUnit, c.SealId, c.Purpose, c.Documents, c.Stamps, c.Mode, c.Location, c.WindowFromMs, c.WindowToMs,
            c.Urgency, s.Status, s.Version, a.Chain, s.Round, s.Status == ApplicationStatus.Pending ? s.Steps[s.CurrentStep].Name : null, [.. s.Holders],
            a.StepDueMs, a.SubmittedMs, a.DecidedMs, a.LeadTimeMs, steps, c.Category, c.Amount, c.Authorisation);
    }

    private static string StepState(ApprovalState s, int index)
    {
        bool decidedThisRound(Decision d) => s.Votes.Any(v => v.Round == s.Round && v.Step == index && v.Decision == d);
        if (decidedThisRound(Decision.Reject))
        {
            return "rejected";
        }

        if (decidedThisRound(Decision.Return))
        {
            return "returned";
        }

        if (index < s.CurrentStep || s.Status == ApplicationStatus.Approved)
        {
            return "approved";
        }

        return index == s.CurrentStep && s.Status == ApplicationStatus.Pending ? "current" : "waiting";
    }
}

/// <summary>A step in the timeline; <see cref="Parts"/> for a countersign (会签) step, <see cref="Notes"/> how routing got to its approvers.</summary>
public sealed record StepView(int Index, string Name, StepMode Mode, string[] Approvers, string State, DecisionView[] Decisions,
    PartView[]? Parts = null, string? Post = null, string? UnitId = null, string[]? Notes = null);

/// <summary>A department of a countersign step in the current round: who signed for it (null: pending) and who may.</summary>
public sealed record PartView(string UnitId, string[] Approvers, string? SignedBy, long? SignedMs)
{
    public static PartView Of(ApprovalState state, int step, StepPart part)
    {
        Vote? vote = state.Votes.LastOrDefault(v => v.Round == state.Round && v.Step == step && v.Part == part.UnitId && v.Decision == Decision.Approve);
        return new PartView(part.UnitId, [.. part.Approvers], vote?.Actor, vote?.AtMs);
    }
}

/// <summary>A decision in the timeline: <see cref="Actor"/> differs from <see cref="Approver"/> when a delegate acted; <see cref="Part"/> the department it signed for.</summary>
public sealed record DecisionView(int Round, string Approver, string Actor, Decision Decision, string? Comment, long AtMs, string? Part = null);

/// <summary>Who would approve an application made now: the chain chosen and its steps as resolved.</summary>
public sealed record ChainPreview(string Chain, string Applicant, string SealId, ApprovalStep[] Steps);

/// <summary>One item of an approver's inbox.</summary>
public sealed record InboxItem(string ApplicationId, string Applicant, string SealId, string Purpose, int Stamps, ApplicationMode Mode, Urgency Urgency,
    string Step, string Approver, long DueMs, bool Overdue, long SubmittedMs, long Version);

public sealed record InboxPage(InboxItem[] Items, long Total, int Page, int PageSize);

/// <summary>Approval lead times (first submission → final decision) of the applications decided in a period.</summary>
public sealed record LeadTimeReport(int Decided, long? MeanMs, long? MedianMs, long? P90Ms, long? MaxMs);

/// <summary>The outcome of one item of a batch approval.</summary>
public sealed record BatchItemResult(string ApplicationId, int Status, string? Error, ApplicationStatus? ApplicationStatus);
