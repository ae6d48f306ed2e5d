namespace SmartSeal.Protocol.Topics
{
    /// <summary>
    /// The leaves of a device's topic subtree <c>smartseal/v1/{deviceId}/{leaf}</c>.
    /// The first group is published by the device, the second by the cloud.
    /// </summary>
    public enum TopicKind
    {
        Unknown = 0,

        /// <summary>"evt": events (stamped, refused, dispensed, tamper...), QoS 1, acknowledged by seq.</summary>
        Events,

        /// <summary>"tele": telemetry (positions, battery), QoS 1, acknowledged by seq.</summary>
        Telemetry,

        /// <summary>"status": retained online/offline presence; the offline message is the last will.</summary>
        Status,

        /// <summary>"res": results of commands, correlated by command id.</summary>
        CommandResults,

        /// <summary>"photo": photo manifests and chunks.</summary>
        Photos,

        /// <summary>"cmd": commands to the device, QoS 1.</summary>
        Commands,

        /// <summary>"desired": retained signed desired state (enabled/disabled, current token), applied first on connect.</summary>
        DesiredState,

        /// <summary>"ack": the cloud's acknowledgements of persisted events, so the device can drop them from flash.</summary>
        Acks,
    }
}
