namespace SmartSeal.Cloud.Notifications;

/// <summary>The events a person is told about; each has a title in zh-CN and English (<see cref="NoticeText"/>).</summary>
public enum NoticeKind
{
    /// <summary>An application waits for the recipient's decision.</summary>
    NewTask,

    /// <summary>The recipient's application was approved.</summary>
    Approved,

    /// <summary>The recipient's application was rejected.</summary>
    Rejected,

    /// <summary>The recipient's application was returned for changes.</summary>
    Returned,

    /// <summary>The approved seal waits in the cabinet for the recipient.</summary>
    SealReady,

    /// <summary>The recipient's lock trip ends soon.</summary>
    TripEndingSoon,

    /// <summary>A seal the recipient holds (or keeps) is overdue for return.</summary>
    SealOverdue,

    /// <summary>An alarm was raised on a seal the recipient holds.</summary>
    AlarmOnSeal,
}
