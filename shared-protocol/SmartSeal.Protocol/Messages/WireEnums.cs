namespace SmartSeal.Protocol.Messages
{
    /// <summary>Why a device refused an unlock, dispense or command. Stable numbers and wire names (<see cref="WireNames.RefusalReasons"/>).</summary>
    public enum RefusalReason
    {
        Unknown = 0,
        Disabled = 1,
        NoToken = 2,
        TokenInvalid = 3,
        TokenExpired = 4,
        TokenNotYetValid = 5,
        TokenRevoked = 6,
        WrongDevice = 7,
        UsesExhausted = 8,
        OutsideGeofence = 9,
        FixNotPrecise = 10,
        NoFix = 11,
        DocumentRejected = 12,
        VerdictTimeout = 13,
        Tampered = 14,
        Busy = 15,
        BadCommand = 16,
        ReplayedCommand = 17,
        WrongCompartment = 18,
        WrongSeal = 19,
        QueueFull = 20,
        CameraFailed = 21,
        ClockNotSet = 22,
    }

    /// <summary>Alarm kinds (DESIGN.md §5 "Alarms"). Stable numbers and wire names (<see cref="WireNames.AlarmTypes"/>).</summary>
    public enum AlarmType
    {
        Unknown = 0,
        ForcedDoor = 1,
        Tamper = 2,
        SealRemoved = 3,
        WrongSeal = 4,
        DoorHeldOpen = 5,
        UnlockHeldTooLong = 6,
        GeofenceExit = 7,
        LowBattery = 8,
        ForgedMessage = 9,
        ReplayedMessage = 10,
        RepeatedRefusals = 11,
        TagUnreadable = 12,
        StorageFull = 13,
        CameraFailure = 14,
    }

    /// <summary>The cloud's verdict on a photographed page.</summary>
    public enum DocumentVerdictKind
    {
        Unknown = 0,
        Ok = 1,
        WrongDocument = 2,
        WrongPage = 3,
        OverCount = 4,
        Unreadable = 5,
    }

    public enum PhotoPurpose
    {
        Unknown = 0,
        Handover = 1,
        Before = 2,
        After = 3,
        Return = 4,
    }

    /// <summary>The format of a photo upload: a JPEG still or an MP4 clip (stamping video).</summary>
    public enum MediaKind
    {
        Unknown = 0,
        Jpeg = 1,
        Mp4 = 2,
    }

    public enum RelockReason
    {
        Unknown = 0,
        Stamped = 1,
        Timeout = 2,
        Command = 3,
        Disabled = 4,
    }

    /// <summary>Wire spellings of the enums, indexed by their numeric value (index 0 = unknown, never written).</summary>
    public static class WireNames
    {
        public static readonly string[] RefusalReasons = new string[]
        {
            null, "disabled", "no-token", "token-invalid", "token-expired", "token-not-yet-valid", "token-revoked",
            "wrong-device", "uses-exhausted", "outside-geofence", "fix-not-precise", "no-fix", "document-rejected",
            "verdict-timeout", "tampered", "busy", "bad-command", "replayed-command", "wrong-compartment", "wrong-seal",
            "queue-full", "camera-failed", "clock-not-set",
        };

        public static readonly string[] AlarmTypes = new string[]
        {
            null, "forced-door", "tamper", "seal-removed", "wrong-seal", "door-held-open", "unlock-held-too-long",
            "geofence-exit", "low-battery", "forged-message", "replayed-message", "repeated-refusals", "tag-unreadable",
            "storage-full", "camera-failure",
        };

        public static readonly string[] Verdicts = new string[]
        {
            null, "ok", "wrong-document", "wrong-page", "over-count", "unreadable",
        };

        public static readonly string[] PhotoPurposes = new string[]
        {
            null, "handover", "before", "after", "return",
        };

        /// <summary>What a photo upload carries; absent on the wire means a JPEG still.</summary>
        public static readonly string[] MediaKinds = new string[]
        {
            null, "jpeg", "mp4",
        };

        public static readonly string[] RelockReasons = new string[]
        {
            null, "stamped", "timeout", "command", "disabled",
        };
    }
}
