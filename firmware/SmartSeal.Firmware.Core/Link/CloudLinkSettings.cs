namespace SmartSeal.Firmware.Link
{
    public class CloudLinkSettings
    {
        public CloudLinkSettings()
        {
            InitialBackoffMs = 1000;
            MaxBackoffMs = 120000;
            PasswordLifetimeSeconds = 3600;
            RenewBeforeSeconds = 300;
            KeepAliveSeconds = 60;
            DesiredStateWaitMs = 3000;
        }

        public long InitialBackoffMs { get; set; }

        public long MaxBackoffMs { get; set; }

        /// <summary>How long a minted broker password is valid; the broker caps it too.</summary>
        public long PasswordLifetimeSeconds { get; set; }

        /// <summary>Reconnect with a fresh password this long before the current one expires.</summary>
        public long RenewBeforeSeconds { get; set; }

        public int KeepAliveSeconds { get; set; }

        /// <summary>
        /// After subscribing, how long to wait for the retained desired state before the link is
        /// reported up (and commands and the outbox replay start). The broker delivers the retained
        /// message at once when there is one; a device the cloud never configured waits this long.
        /// </summary>
        public long DesiredStateWaitMs { get; set; }
    }
}
