namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>Everything one compartment's decisions depend on; the machine returns a new copy.</summary>
    public class CompartmentState
    {
        public int Number;

        public CompartmentMode Mode;

        /// <summary>Persisted: the seal registered to this compartment and its RFID tag.</summary>
        public string SealId;

        public string ExpectedTag;

        public bool DoorOpen;

        /// <summary>Whether the latch is released by us (an open door without it is forced).</summary>
        public bool Released;

        public long ModeSinceMs;

        public long DoorOpenedMs;

        public bool DoorAlarmRaised;

        /// <summary>The cabinet token (jti) of the collection in progress or last done.</summary>
        public string TokenId;

        public string PhotoId;

        /// <summary>Last tag the reader saw in the compartment ("" none, "?" unreadable).</summary>
        public string SeenTag;

        public CompartmentState Clone()
        {
            return (CompartmentState)MemberwiseClone();
        }
    }
}
