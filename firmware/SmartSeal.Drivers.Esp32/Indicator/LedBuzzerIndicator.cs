using System.Device.Gpio;
using System.Threading;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Indicator
{
    /// <summary>
    /// A green and a red LED and an active buzzer on GPIOs. Steady patterns set the LEDs; blinking
    /// and beeping run on one timer (100 ms tick), so <see cref="Show"/> never blocks the caller.
    /// </summary>
    public class LedBuzzerIndicator : IIndicator
    {
        private const int TickMs = 100;

        private readonly GpioPin _green;
        private readonly GpioPin _red;
        private readonly GpioPin _buzzer;
        private readonly Timer _timer;
        private readonly object _sync = new object();
        private IndicatorPattern _pattern;
        private int _tick;

        public LedBuzzerIndicator(GpioController gpio, int greenPin, int redPin, int buzzerPin)
        {
            _green = gpio.OpenPin(greenPin, PinMode.Output);
            _red = gpio.OpenPin(redPin, PinMode.Output);
            _buzzer = gpio.OpenPin(buzzerPin, PinMode.Output);
            _timer = new Timer(OnTick, null, TickMs, TickMs);
            Show(IndicatorPattern.Off);
        }

        public void Show(IndicatorPattern pattern)
        {
            lock (_sync)
            {
                _pattern = pattern;
                _tick = 0;
            }
        }

        private void OnTick(object state)
        {
            lock (_sync)
            {
                bool green = false, red = false, buzz = false;
                bool phase = (_tick / 5) % 2 == 0; // 0.5 s on, 0.5 s off
                switch (_pattern)
                {
                    case IndicatorPattern.Ready:
                        green = true;
                        break;
                    case IndicatorPattern.Working:
                        green = phase;
                        break;
                    case IndicatorPattern.Unlocked:
                        green = true;
                        buzz = _tick < 2; // one short chirp
                        break;
                    case IndicatorPattern.Refused:
                        red = _tick < 20;
                        buzz = _tick < 6 && _tick % 3 != 2; // two short beeps
                        break;
                    case IndicatorPattern.Alarm:
                        red = phase;
                        buzz = phase;
                        break;
                    case IndicatorPattern.Disabled:
                        red = true;
                        break;
                }

                _green.Write(green ? PinValue.High : PinValue.Low);
                _red.Write(red ? PinValue.High : PinValue.Low);
                _buzzer.Write(buzz ? PinValue.High : PinValue.Low);
                if (_tick < 1000)
                {
                    _tick++;
                }
            }
        }
    }
}
