using System.Collections.Generic;

namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>A video camera the test finishes by hand: it records what was started, and hands out the clips the test finished or failed.</summary>
    public class FakeClipRecorder : IClipRecorder
    {
        private readonly Queue<RecordedClip> _finished = new Queue<RecordedClip>();

        public List<string> Started { get; } = new List<string>();

        /// <summary>When set, <see cref="Start"/> refuses (camera busy or gone).</summary>
        public bool Busy { get; set; }

        public bool Start(string clipId)
        {
            if (Busy)
            {
                return false;
            }

            Started.Add(clipId);
            return true;
        }

        public void Finish(string clipId, byte[] mp4) => _finished.Enqueue(new RecordedClip { ClipId = clipId, Mp4 = mp4 });

        public void Fail(string clipId, string problem) => _finished.Enqueue(new RecordedClip { ClipId = clipId, Problem = problem });

        public RecordedClip TakeFinished() => _finished.Count == 0 ? null : _finished.Dequeue();
    }
}
