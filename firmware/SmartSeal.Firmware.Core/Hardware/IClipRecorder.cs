namespace SmartSeal.Firmware.Hardware
{
    /// <summary>
    /// A video camera that records a short clip around a hand-over or return (stamping video).
    /// Recording takes seconds, so it runs beside the controller: <see cref="Start"/> returns at
    /// once and the controller collects finished clips with <see cref="TakeFinished"/> on its tick.
    /// Only boards with a video camera have one (the Linux cabinet, via ffmpeg); the VC0706 takes stills only.
    /// </summary>
    public interface IClipRecorder
    {
        /// <summary>Starts recording the clip <paramref name="clipId"/>; false when the camera is busy or absent.</summary>
        bool Start(string clipId);

        /// <summary>A clip that finished since the last call (recorded or failed), or null.</summary>
        RecordedClip TakeFinished();
    }
}
