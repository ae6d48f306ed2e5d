using System.Device.Adc;
using System.Device.Gpio;
using SmartSeal.Firmware.Hardware;

namespace SmartSeal.Drivers.Esp32.Power
{
    /// <summary>
    /// A single-cell LiPo measured through a resistor divider on an ADC1 channel (ADC2 is unusable
    /// while Wi-Fi runs), averaged over a few samples; percent from a typical 0.2C discharge curve.
    /// The charger's status pin (TP4056 CHRG, open drain, low while charging) is optional.
    /// </summary>
    public class AdcBattery : IBattery
    {
        /// <summary>Cell voltage (mV) → charge (%) at rest, piecewise linear between points.</summary>
        private static readonly int[] CurveMilliVolts = { 4200, 4100, 4000, 3900, 3800, 3750, 3700, 3650, 3600, 3500, 3300 };
        private static readonly int[] CurvePercent = { 100, 90, 80, 65, 50, 40, 30, 20, 12, 5, 0 };

        private const int Samples = 8;

        private readonly AdcChannel _channel;
        private readonly int _maxRaw;
        private readonly int _fullScaleMilliVolts;
        private readonly double _dividerRatio;
        private readonly GpioPin _chargingPin;

        /// <param name="dividerRatio">Battery voltage / ADC pin voltage, e.g. 2.0 for 100 kΩ over 100 kΩ.</param>
        /// <param name="fullScaleMilliVolts">The ADC's full scale at 11 dB attenuation (about 3100 mV on ESP32; calibrate per board).</param>
        /// <param name="chargingPin">GPIO of the charger's CHRG output, or -1.</param>
        public AdcBattery(int adcChannel, double dividerRatio, int fullScaleMilliVolts, GpioController gpio, int chargingPin)
        {
            AdcController adc = new AdcController();
            _channel = adc.OpenChannel(adcChannel);
            _maxRaw = adc.MaxValue;
            _dividerRatio = dividerRatio;
            _fullScaleMilliVolts = fullScaleMilliVolts;
            _chargingPin = chargingPin >= 0 ? gpio.OpenPin(chargingPin, PinMode.InputPullUp) : null;
        }

        public int MilliVolts
        {
            get
            {
                long sum = 0;
                for (int i = 0; i < Samples; i++)
                {
                    sum += _channel.ReadValue();
                }

                double pinMilliVolts = (double)sum / Samples * _fullScaleMilliVolts / _maxRaw;
                return (int)(pinMilliVolts * _dividerRatio);
            }
        }

        public int Percent
        {
            get { return PercentFor(MilliVolts); }
        }

        public bool IsCharging
        {
            get { return _chargingPin != null && _chargingPin.Read() == PinValue.Low; }
        }

        /// <summary>Charge for a resting cell voltage, from the discharge curve.</summary>
        public static int PercentFor(int milliVolts)
        {
            if (milliVolts >= CurveMilliVolts[0])
            {
                return 100;
            }

            for (int i = 1; i < CurveMilliVolts.Length; i++)
            {
                if (milliVolts >= CurveMilliVolts[i])
                {
                    int span = CurveMilliVolts[i - 1] - CurveMilliVolts[i];
                    int above = milliVolts - CurveMilliVolts[i];
                    return CurvePercent[i] + ((CurvePercent[i - 1] - CurvePercent[i]) * above / span);
                }
            }

            return 0;
        }
    }
}
