namespace SmartSeal.Cabinet.Esp32
{
    /// <summary>
    /// Pin map of the cabinet controller board (ESP32-WROVER-E, 8 MB PSRAM; GPIO16/17 belong to the
    /// PSRAM, GPIO6-11 to the flash). Eight compartments on two MCP23017 expanders, four each:
    /// latch n on GPA(n-1), door n on GPB(n-1). hardware-docs/pin-maps.md mirrors these constants
    /// and a test keeps the two equal.
    /// </summary>
    public static class CabinetBoard
    {
        public const int Compartments = 8;

        public const int CompartmentsPerExpander = 4;

        // I2C bus 1: both MCP23017 expanders.
        public const int I2cBus = 1;
        public const int I2cSda = 21;
        public const int I2cScl = 22;

        /// <summary>Compartments 1-4 (A0-A2 low).</summary>
        public const int ExpanderLowAddress = 0x20;

        /// <summary>Compartments 5-8 (A0 high).</summary>
        public const int ExpanderHighAddress = 0x21;

        /// <summary>Open-drain INTA of both expanders (mirrored ports), wired-OR; the firmware polls, the pin is for wake-up.</summary>
        public const int ExpanderInterrupt = 34;

        /// <summary>Expander pin of compartment n's latch: GPA0..GPA3 (n counted within its expander).</summary>
        public const int LatchPinBase = 0;

        /// <summary>Expander pin of compartment n's door contact: GPB0..GPB3.</summary>
        public const int DoorPinBase = 8;

        /// <summary>Case tamper loop, on the low expander's GPB7 (closed loop to ground = intact).</summary>
        public const int TamperExpanderPin = 15;

        /// <summary>Service button, on the high expander's GPB7.</summary>
        public const int ServiceButtonExpanderPin = 15;

        // SPI bus 1: the eight MFRC522 readers.
        public const int SpiBus = 1;
        public const int SpiClock = 18;
        public const int SpiMiso = 19;
        public const int SpiMosi = 23;
        public const int RfidChipSelect1 = 5;
        public const int RfidChipSelect2 = 4;
        public const int RfidChipSelect3 = 13;
        public const int RfidChipSelect4 = 14;
        public const int RfidChipSelect5 = 27;
        public const int RfidChipSelect6 = 26;
        public const int RfidChipSelect7 = 25;
        public const int RfidChipSelect8 = 32;

        // COM2: VC0706 camera over the hand-over area.
        public const int CameraUartTx = 33;
        public const int CameraUartRx = 35;
        public const string CameraPort = "COM2";

        public const int LedGreen = 2;
        /// <summary>GPIO12 is the flash-voltage strap: the LED to ground keeps it low at boot, as it must be.</summary>
        public const int LedRed = 12;
        public const int Buzzer = 15;

        /// <summary>Backup battery through a 100k/100k divider on GPIO39 = ADC1 channel 3.</summary>
        public const int BatteryAdcChannel = 3;
        public const int BatteryAdcPin = 39;

        /// <summary>Charger CHRG (low while charging), input-only pin.</summary>
        public const int ChargerStatus = 36;

        public static int RfidChipSelect(int compartment)
        {
            switch (compartment)
            {
                case 1: return RfidChipSelect1;
                case 2: return RfidChipSelect2;
                case 3: return RfidChipSelect3;
                case 4: return RfidChipSelect4;
                case 5: return RfidChipSelect5;
                case 6: return RfidChipSelect6;
                case 7: return RfidChipSelect7;
                default: return RfidChipSelect8;
            }
        }
    }
}
