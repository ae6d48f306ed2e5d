public class SmokePortability { [Fact] public void Builds() => Assert.True(true); }
