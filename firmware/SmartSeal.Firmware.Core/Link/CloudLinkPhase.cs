namespace SmartSeal.Firmware.Link
{
    /// <summary>Where <see cref="CloudLink"/> stands with the broker.</summary>
    public enum CloudLinkPhase
    {
        /// <summary>Not connected; the next attempt is due at <see cref="CloudLink.NextAttemptUptimeMs"/>.</summary>
        Down = 0,

        /// <summary>Connected and subscribed to the desired state only; waiting for the retained copy.</summary>
        AwaitingDesiredState = 1,

        /// <summary>Desired state applied (or none exists); commands, acks and the outbox flow.</summary>
        Up = 2,
    }
}
