using SmartSeal.Cloud.Checkouts;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Tests.Checkouts;

/// <summary>
/// <c>checkouts.status</c> is written in kebab case and read back by Dapper's enum parse (by name,
/// ignoring case): the two agree only while every status is one word.
/// </summary>
public class CheckoutStatusTextTests
{
    [Fact]
    public void Every_checkout_status_reads_back_from_its_stored_text_by_name()
    {
        foreach (CheckoutStatus status in Enum.GetValues<CheckoutStatus>())
        {
            Assert.Equal(status, Enum.Parse<CheckoutStatus>(Kebab.Of(status), ignoreCase: true));
        }
    }
}
