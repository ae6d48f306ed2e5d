namespace SmartSeal.Firmware.Cabinet
{
    public class CompartmentSettings
    {
        public CompartmentSettings()
        {
            DoorAlarmMs = 60000;
            CollectTimeoutMs = 30000;
        }

        /// <summary>A door open longer than this raises door-held-open.</summary>
        public long DoorAlarmMs { get; set; }

        /// <summary>A released compartment whose seal is not taken within this time re-latches when its door is shut.</summary>
        public long CollectTimeoutMs { get; set; }
    }
}
