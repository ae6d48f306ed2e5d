namespace SmartSeal.Firmware.Hardware
{
    /// <summary>A finished recording: its id and MP4 bytes, or null bytes with the reason it failed.</summary>
    public class RecordedClip
    {
        public string ClipId;

        /// <summary>The MP4 file; null when the recording failed.</summary>
        public byte[] Mp4;

        /// <summary>Why there is no clip (the recorder's own words), when <see cref="Mp4"/> is null.</summary>
        public string Problem;
    }
}
