namespace SmartSeal.Cloud.Applications;

/// <summary>Section <c>SmartSeal:Approvals</c>: the working calendar, step deadlines and the approval chains.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "SmartSeal:Approvals";

    public string TimeZone { get; set; } = "Asia/Shanghai";

    public string DayStart { get; set; } = "09:00";

    public string DayEnd { get; set; } = "18:00";

    /// <summary>Days of the week with working hours; null: Monday to Friday.</summary>
    public List<DayOfWeek>? WorkingDays { get; set; }

    /// <summary>Public holidays ("2026-10-01"), no working time on them.</summary>
    public List<string> Holidays { get; set; } = [];

    /// <summary>Make-up working days (调休) that fall on a weekend.</summary>
    public List<string> WorkingWeekends { get; set; } = [];

    /// <summary>Working time a normal step may take (one working day).</summary>
    public TimeSpan NormalStepTime { get; set; } = TimeSpan.FromHours(9);

    /// <summary>Working time an urgent step may take.</summary>
    public TimeSpan UrgentStepTime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How often the escalation sweep looks for overdue steps (it reminds at the due time, escalates one step time later).</summary>
    public TimeSpan EscalationSweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an applicant may urge (督促) the approvers of one overdue step.</summary>
    public TimeSpan UrgeInterval { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Chains, first match wins; when none matches, <see cref="ChainDefinition.Default"/>.</summary>
    public List<ChainDefinition> Chains { get; set; } = [];
}
