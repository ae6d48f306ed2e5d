namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>Returns the next photo the test queued, a small generated JPEG-like frame, or null (timeout).</summary>
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

            // SOI marker, a counter so photos differ, EOI marker.
            _counter++;
            return new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, (byte)(_counter >> 8), (byte)_counter, 0xFF, 0xD9 };
        }
    }
}
