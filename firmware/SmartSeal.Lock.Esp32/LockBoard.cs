namespace SmartSeal.Lock.Esp32
{
    /// <summary>
    /// Pin map of the portable lock board (ESP32-WROVER-E, 8 MB PSRAM; GPIO16/17 belong to the
    /// PSRAM). The ESP32 has three UARTs and COM1 is nanoFramework's debug/deploy port, so the
    /// GNSS receiver and the camera share COM2 through a 2:1 analog mux (74HC4053), and the
    /// SIM7080G modem has COM3. hardware-docs/pin-maps.md mirrors these constants and a test keeps
    /// the two equal.
    /// </summary>
    public static class LockBoard
    {
        // I2C bus 1: one MCP23017 for the bolt driver and the switches.
        public const int I2cBus = 1;
        public const int I2cSda = 21;
        public const int I2cScl = 22;
        public const int ExpanderAddress = 0x20;

        /// <summary>GPA0: bolt solenoid MOSFET (high = energised = open).</summary>
        public const int BoltExpanderPin = 0;

        /// <summary>GPB0: stamp switch under the seal face (closes to ground when pressed on paper).</summary>
        public const int StampSwitchExpanderPin = 8;

        /// <summary>GPB1: tamper loop through the case screws (closed to ground = intact).</summary>
        public const int TamperExpanderPin = 9;

        /// <summary>GPB2: the user's "stamp" button (closes to ground).</summary>
        public const int ButtonExpanderPin = 10;

        // COM2: GNSS (9600 baud) or camera (38400 baud), chosen by the mux select pin.
        public const string SharedPort = "COM2";
        public const int SharedUartTx = 32;
        public const int SharedUartRx = 34;

        /// <summary>Mux select: low = GNSS, high = camera.</summary>
        public const int UartMuxSelect = 4;

        // COM3: SIM7080G CAT-M/NB-IoT modem, 115200 baud.
        public const string ModemPort = "COM3";
        public const int ModemUartTx = 33;
        public const int ModemUartRx = 35;

        /// <summary>PWRKEY through an NPN (high here = key pressed).</summary>
        public const int ModemPowerKey = 25;

        // SPI bus 1: MFRC522 reading the tag of the seal held in the lock (LockHardware.SealTag).
        public const int SpiBus = 1;
        public const int SpiClock = 18;
        public const int SpiMiso = 19;
        public const int SpiMosi = 23;
        public const int RfidChipSelect = 5;

        public const int LedGreen = 2;
        public const int LedRed = 26;
        public const int Buzzer = 27;

        /// <summary>LiPo through a 100k/100k divider on GPIO36 = ADC1 channel 0.</summary>
        public const int BatteryAdcChannel = 0;
        public const int BatteryAdcPin = 36;

        /// <summary>Charger CHRG (low while charging), input-only pin.</summary>
        public const int ChargerStatus = 39;
    }
}
