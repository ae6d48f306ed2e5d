namespace SmartSeal.Firmware.Gnss
{
    public enum PositionDecision
    {
        /// <summary>Accepted and due: publish a position report now.</summary>
        Report = 0,

        /// <summary>Accepted as the current position, but no report is due yet.</summary>
        NotDue = 1,

        /// <summary>The receiver has no fix in this cycle.</summary>
        RejectedNoFix = 2,

        /// <summary>Accuracy worse than the configured limit.</summary>
        RejectedInaccurate = 3,

        /// <summary>Time not after the last accepted fix (never let an old or future-dated fix become "latest").</summary>
        RejectedTimeOrder = 4,

        /// <summary>Implies an impossible speed from the last accepted fix (multipath, spoofing); accepted after several consistent fixes.</summary>
        RejectedJump = 5,
    }
}
