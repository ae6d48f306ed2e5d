using System.Device.I2c;

namespace SmartSeal.Drivers.Esp32.Expander
{
    /// <summary>A nanoFramework <see cref="I2cDevice"/> as an <see cref="II2cChannel"/>.</summary>
    public class I2cDeviceChannel : II2cChannel
    {
        private readonly I2cDevice _device;

        public I2cDeviceChannel(int busId, int address)
        {
            _device = I2cDevice.Create(new I2cConnectionSettings(busId, address, I2cBusSpeed.FastMode));
        }

        public bool Write(byte[] frame)
        {
            return _device.Write(frame).Status == I2cTransferStatus.FullTransfer;
        }

        public bool WriteRead(byte[] write, byte[] read)
        {
            return _device.WriteRead(write, read).Status == I2cTransferStatus.FullTransfer;
        }
    }
}
