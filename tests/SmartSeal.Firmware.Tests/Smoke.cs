public class SmokeFirmware { [Fact] public void Builds() => Assert.True(true); }
