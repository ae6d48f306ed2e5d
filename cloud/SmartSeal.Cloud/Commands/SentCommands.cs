using System.Data.Common;
using Dapper;

namespace SmartSeal.Cloud.Commands;

/// <summary>What the cloud sent a device, for modules that must check a device's claim against it (the only SQL on <c>commands</c> outside <see cref="CommandService"/>).</summary>
public static class SentCommands
{
    /// <summary>
    /// The JSON bodies of the commands of <paramref name="type"/> sent to <paramref name="deviceId"/>
    /// whose text contains <paramref name="fragment"/> (a narrowing only: the caller decodes and decides),
    /// as the caller's transaction sees them.
    /// </summary>
    public static async Task<IReadOnlyList<string>> BodiesContainingAsync(string deviceId, string type, string fragment, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<string>(
            "SELECT body FROM commands WHERE device_id = @deviceId AND type = @type AND body LIKE @pattern",
            new { deviceId, type, pattern = $"%{fragment}%" },
            transaction)).AsList();
}
