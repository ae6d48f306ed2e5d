namespace SmartSeal.Firmware.Hardware.Fakes
{
    /// <summary>The tag in the field is whatever the test puts there (<see cref="TagReading"/> values included).</summary>
    public class FakeSealTagReader : ISealTagReader
    {
        public FakeSealTagReader()
        {
            Present = TagReading.None;
        }

        public string Present { get; set; }

        public string Read()
        {
            return Present;
        }
    }
}
