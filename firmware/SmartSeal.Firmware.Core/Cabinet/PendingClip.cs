using SmartSeal.Protocol.Messages;

namespace SmartSeal.Firmware.Cabinet
{
    /// <summary>A clip being recorded: what it shows, so its manifest can say so when it is sent.</summary>
    internal class PendingClip
    {
        public int Compartment;

        public PhotoPurpose Purpose;

        public string AttemptId;
    }
}
