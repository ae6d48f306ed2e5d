namespace SmartSeal.Firmware.Lock
{
    /// <summary>The portable lock's states (see hardware-docs state diagram).</summary>
    public enum LockMode
    {
        /// <summary>Remotely disabled: every unlock is refused until enabled again.</summary>
        Disabled = 0,

        /// <summary>Locked, waiting for the button.</summary>
        Idle = 1,

        /// <summary>Checks passed; the before-photo is being taken.</summary>
        Checking = 2,

        /// <summary>The page photo went to the cloud; waiting for its signed verdict.</summary>
        AwaitingVerdict = 3,

        /// <summary>Open for exactly one stamp (its use already counted and persisted).</summary>
        Unlocked = 4,

        /// <summary>The case was opened or the tamper loop cut: refuses everything until it is closed.</summary>
        Tampered = 5,
    }
}
