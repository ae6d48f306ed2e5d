using System.Data.Common;
using Dapper;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Checkouts;

/// <summary>The <c>checkouts</c> table.</summary>
public static class CheckoutStore
{
    /// <summary>
    /// The select list that maps a row straight onto <see cref="Checkout"/>. Dapper reads the
    /// status text into <see cref="CheckoutStatus"/> by name, ignoring case: the same as its kebab
    /// form while every status is one word.
    /// </summary>
    private const string Columns = """
        application_id AS ApplicationId, seal_id AS SealId, holder AS Holder, mode AS Mode, status AS Status, device_id AS DeviceId,
        compartment AS Compartment, token_id AS TokenId, window_from_ms AS WindowFromMs, due_ms AS DueMs, created_ms AS CreatedMs,
        out_ms AS OutMs, returned_ms AS ReturnedMs, overdue_ms AS OverdueMs, updated_ms AS UpdatedMs
        """;

    public static Task InsertAsync(Checkout checkout, DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteAsync(
            """
            INSERT INTO checkouts (application_id, seal_id, holder, mode, status, window_from_ms, due_ms, created_ms, updated_ms)
            VALUES (@ApplicationId, @SealId, @Holder, @Mode, @Status, @WindowFromMs, @DueMs, @CreatedMs, @UpdatedMs)
            ON CONFLICT (application_id) DO NOTHING
            """,
            new { checkout.ApplicationId, checkout.SealId, checkout.Holder, checkout.Mode, Status = Kebab.Of(checkout.Status), checkout.WindowFromMs, checkout.DueMs, checkout.CreatedMs, checkout.UpdatedMs },
            transaction);

    /// <summary>The holder's cabinet collections that may be dispensed now (approved, inside their window), the earliest due first.</summary>
    public static async Task<IReadOnlyList<Checkout>> CollectableAsync(string holder, long nowMs, DbConnection connection, DbTransaction? transaction) =>
        (await connection.QueryAsync<Checkout>(
            $"SELECT {Columns} FROM checkouts WHERE holder = @holder AND mode = 'cabinet' AND status = 'awaiting' AND window_from_ms <= @nowMs AND due_ms > @nowMs ORDER BY due_ms, application_id",
            new { holder, nowMs }, transaction)).AsList();

    public static Task<Checkout?> FindAsync(string applicationId, DbConnection connection, DbTransaction? transaction) =>
        connection.QuerySingleOrDefaultAsync<Checkout>($"SELECT {Columns} FROM checkouts WHERE application_id = @applicationId", new { applicationId }, transaction);

    /// <summary>The checkout that has the seal out now, if any (at most one: the seal is in one place).</summary>
    public static Task<Checkout?> OutForSealAsync(string sealId, DbConnection connection, DbTransaction? transaction) =>
        connection.QueryFirstOrDefaultAsync<Checkout>(
            $"SELECT {Columns} FROM checkouts WHERE seal_id = @sealId AND status IN ('dispensing', 'out') ORDER BY updated_ms DESC",
            new { sealId }, transaction);

    public static async Task<IReadOnlyList<Checkout>> ListAsync(string? holder, string? status, DbConnection connection, DbTransaction? transaction = null)
    {
        var sql = $"SELECT {Columns} FROM checkouts WHERE 1 = 1";
        if (holder != null)
        {
            sql += " AND holder = @holder";
        }

        if (status != null)
        {
            sql += " AND status = @status";
        }

        return (await connection.QueryAsync<Checkout>(sql + " ORDER BY created_ms DESC LIMIT 500", new { holder, status }, transaction)).AsList();
    }

    public static Task UpdateAsync(Checkout checkout, DbConnection connection, DbTransaction? transaction) =>
        connection.ExecuteAsync(
            """
            UPDATE checkouts SET status = @Status, device_id = @DeviceId, compartment = @Compartment, token_id = @TokenId, out_ms = @OutMs,
                   returned_ms = @ReturnedMs, overdue_ms = @OverdueMs, updated_ms = @UpdatedMs
            WHERE application_id = @ApplicationId
            """,
            new
            {
                Status = Kebab.Of(checkout.Status), checkout.DeviceId, checkout.Compartment, checkout.TokenId, checkout.OutMs, checkout.ReturnedMs,
                checkout.OverdueMs, checkout.UpdatedMs, checkout.ApplicationId,
            },
            transaction);
}
