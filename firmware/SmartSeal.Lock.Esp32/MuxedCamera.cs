using SmartSeal.Drivers.Esp32.Camera;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Lock.Esp32
{
    /// <summary>The lock's camera: borrows the shared UART from the GNSS for one capture.</summary>
    public class MuxedCamera : ICamera
    {
        private readonly UartMux _mux;
        private readonly Vc0706Camera _camera;

        public MuxedCamera(UartMux mux, Vc0706Camera camera)
        {
            _mux = mux;
            _camera = camera;
        }

        /// <summary>Resets the camera and sets the image size, with the UART switched to it.</summary>
        public bool Initialise(byte imageSize)
        {
            _mux.SelectCamera();
            try
            {
                return _camera.Initialise(imageSize);
            }
            finally
            {
                _mux.SelectGnss();
            }
        }

        public byte[] Capture()
        {
            _mux.SelectCamera();
            try
            {
                return _camera.Capture();
            }
            finally
            {
                _mux.SelectGnss();
            }
        }
    }
}
