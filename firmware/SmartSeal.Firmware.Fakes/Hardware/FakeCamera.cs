namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>Returns the next photo the test queued, a generated frame (a stub here; a rendered scene in the simulators), or null (timeout).</summary>
    public class FakeCamera : ICamera
    {
        private byte[] _next;
        private int _counter;

        public bool TimesOut { get; set; }

        public int CaptureCount { get; private set; }

        public void QueuePhoto(byte[] jpeg)
        {
            _next = jpeg;
        }

        public byte[] Capture()
        {
            CaptureCount++;
            if (TimesOut)
            {
                return null;
            }

            if (_next != null)
            {
                byte[] photo = _next;
                _next = null;
                return photo;
            }

            _counter++;
            return Generate(_counter);
        }

        /// <summary>The frame when nothing was queued: a stub with SOI, the capture counter so photos differ, EOI. Simulators render a scene instead.</summary>
        protected virtual byte[] Generate(int counter)
        {
            return new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, (byte)(counter >> 8), (byte)counter, 0xFF, 0xD9 };
        }
    }
}
