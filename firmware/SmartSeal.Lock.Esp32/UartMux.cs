using System.Device.Gpio;
using System.IO.Ports;
using System.Threading;
using SmartSeal.Drivers.Esp32.Camera;
using SmartSeal.Drivers.Esp32.Gnss;

namespace SmartSeal.Lock.Esp32
{
    /// <summary>
    /// COM2 is shared: the GNSS receiver normally, the camera while a photo is taken. Switching
    /// pauses the GNSS reader, flips the analog mux and the baud rate, and drops bytes of the other
    /// device still in the buffer. NMEA lost during a capture (one to three seconds) is harmless:
    /// the position reporter keeps the last fix with its age.
    /// </summary>
    public class UartMux
    {
        private readonly SerialPort _port;
        private readonly GpioPin _select;
        private readonly byte[] _drain = new byte[64];
        private SerialGnss _gnss;

        public UartMux(SerialPort port, GpioController gpio, int selectPin)
        {
            _port = port;
            _select = gpio.OpenPin(selectPin, PinMode.Output);
            _select.Write(PinValue.Low);
            _port.BaudRate = SerialGnss.DefaultBaudRate;
        }

        public SerialPort Port
        {
            get { return _port; }
        }

        public void Attach(SerialGnss gnss)
        {
            _gnss = gnss;
        }

        public void SelectCamera()
        {
            if (_gnss != null)
            {
                _gnss.Pause();
            }

            _select.Write(PinValue.High);
            _port.BaudRate = Vc0706Camera.DefaultBaudRate;
            Drain();
        }

        public void SelectGnss()
        {
            _select.Write(PinValue.Low);
            _port.BaudRate = SerialGnss.DefaultBaudRate;
            Drain();
            if (_gnss != null)
            {
                _gnss.Resume();
            }
        }

        private void Drain()
        {
            Thread.Sleep(5); // let the mux settle and in-flight bytes arrive
            while (_port.BytesToRead > 0)
            {
                _port.Read(_drain, 0, _port.BytesToRead < _drain.Length ? _port.BytesToRead : _drain.Length);
            }
        }
    }
}
