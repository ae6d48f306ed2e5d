using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using SmartSeal.Cabinet.Linux.Configuration;

namespace SmartSeal.Cabinet.Linux.Hardware;

/// <summary>
/// Where the board's buses come from: the kernel's gpiochip, /dev/i2c-N and /dev/spidevB.C on the
/// Pi (<see cref="LinuxBuses"/>), in-memory register models in tests.
/// </summary>
public interface IBoardBuses
{
    GpioController OpenGpio();

    I2cDevice OpenI2c(int bus, int address);

    SpiDevice OpenSpi(SpiRef device);
}
