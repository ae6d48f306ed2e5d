public class SmokeProtocol { [Fact] public void Builds() => Assert.True(true); }
