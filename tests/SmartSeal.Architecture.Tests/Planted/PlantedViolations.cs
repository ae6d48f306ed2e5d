// Code that breaks every architecture rule on purpose, under its own root namespace, so the tests
// can prove each rule catches it. The folders mimic cloud modules: Ledger sits below Reports.
#pragma warning disable CA1822 // The members only exist to create the dependencies.

namespace SmartSeal.Architecture.Tests.Planted.Cloud.Reports
{
    /// <summary>Reads the ledger: the allowed direction (Reports is above Ledger).</summary>
    public sealed class PlantedQuarterlyReport
    {
        public int Entries(SmartSeal.Architecture.Tests.Planted.Cloud.Ledger.PlantedLedgerStore store) => store.Count;
    }
}

namespace SmartSeal.Architecture.Tests.Planted.Cloud.Ledger
{
    /// <summary>The ledger reaching up into Reports: against the direction, and with the report above a cycle.</summary>
    public sealed class PlantedLedgerStore
    {
        public int Count => 0;

        public SmartSeal.Architecture.Tests.Planted.Cloud.Reports.PlantedQuarterlyReport Report() => new();
    }
}

namespace SmartSeal.Architecture.Tests.Planted.Cloud.Portal
{
    /// <summary>A page that queries the database itself instead of asking a module.</summary>
    public sealed class PlantedPage(SmartSeal.Cloud.Storage.Database database)
    {
        public async Task<int> CountSealsAsync()
        {
            await using System.Data.Common.DbConnection connection = await database.OpenAsync();
            return await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM seals");
        }
    }
}

namespace SmartSeal.Architecture.Tests.Planted.Cloud.Gate
{
    /// <summary>Cloud code using the gate application itself (not a shared face library).</summary>
    public sealed class PlantedEnrolment
    {
        public SmartSeal.EdgeFaceGate.GateStatus? Status { get; set; }
    }
}

namespace SmartSeal.Architecture.Tests.Planted.Cloud.Shortcuts
{
    /// <summary>A folder nobody placed in the layered list.</summary>
    public sealed class PlantedHelper;
}
