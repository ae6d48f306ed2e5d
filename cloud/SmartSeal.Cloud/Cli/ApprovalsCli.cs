using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using SmartSeal.Cloud.Applications;
using SmartSeal.Cloud.Organisation;
using SmartSeal.Cloud.Seals;

namespace SmartSeal.Cloud.Cli;

/// <summary><c>smartseal-cloud approvals bench</c>: an approver with many pending items, and how fast their inbox answers.</summary>
public static class ApprovalsCli
{
    private static readonly Option<int> PendingOption = new("--pending") { Description = "applications to submit, all pending with one approver", DefaultValueFactory = _ => 10_000 };
    private static readonly Option<int> QueriesOption = new("--queries") { Description = "inbox queries to time", DefaultValueFactory = _ => 200 };

    public static Command Build(Func<Func<IServiceProvider, Task<int>>, Task<int>> withServices)
    {
        var approvals = new Command("approvals", "applications and approvals");
        var bench = new Command("bench", "submits --pending applications held by one approver, then times inbox pages and the overdue list (use a scratch data directory)");
        bench.Add(PendingOption);
        bench.Add(QueriesOption);
        bench.SetAction((r, ct) => withServices(async sp =>
        {
            int pending = Math.Max(1, r.GetValue(PendingOption));
            int queries = Math.Max(1, r.GetValue(QueriesOption));
            string run = Guid.NewGuid().ToString("n")[..6];
            string approver = $"bench-head-{run}";
            string applicant = $"bench-applicant-{run}";
            string sealId = $"bench-seal-{run}";
            await SeedOrganisationAsync(sp, run, approver, applicant, sealId, ct);

            ApplicationService service = sp.GetRequiredService<ApplicationService>();
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var request = new ApplicationRequest(sealId, "bench", [new ApplicationDocument("合同.pdf", 3)], 1, ApplicationMode.Cabinet, null, now, now + 86_400_000, Urgency.Normal);
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < pending; i++)
            {
                if (await service.SubmitAsync(request, applicant, ct) is not { Status: ChangeStatus.Ok } submitted)
                {
                    Console.Error.WriteLine("submit failed");
                    return 1;
                }
            }

            double submitSeconds = watch.Elapsed.TotalSeconds;
            await service.InboxAsync(approver, 1, 50, ct); // warm up
            double[] first = await TimeAsync(queries, () => service.InboxAsync(approver, 1, 50, ct));
            double[] deep = await TimeAsync(queries, () => service.InboxAsync(approver, Math.Max(1, pending / 50 / 2), 50, ct));
            double[] overdue = await TimeAsync(Math.Min(queries, 50), () => service.OverdueAsync(approver, everyone: false, ct));
            InboxPage page = await service.InboxAsync(approver, 1, 50, ct);
            Console.WriteLine($"submitted {pending:N0} applications in {submitSeconds:F1} s ({pending / submitSeconds:N0}/s, each with its ledger entry); inbox total {page.Total:N0}");
            Console.WriteLine("| query | runs | p50 ms | p95 ms | max ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Row("inbox page 1 (50 items + total)", first);
            Row($"inbox page {Math.Max(1, pending / 50 / 2)} (50 items + total)", deep);
            Row("overdue list (none due)", overdue);
            return page.Total >= pending ? 0 : 1;
        }));
        approvals.Add(bench);
        return approvals;
    }

    private static void Row(string name, double[] ms)
    {
        Array.Sort(ms);
        Console.WriteLine($"| {name} | {ms.Length} | {ms[ms.Length / 2]:F2} | {ms[(int)(ms.Length * 0.95)]:F2} | {ms[^1]:F2} |");
    }

    private static async Task<double[]> TimeAsync<T>(int runs, Func<Task<T>> query)
    {
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await query();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return times;
    }

    /// <summary>
    /// A unit (under the organisation's root, if it has one) with a department head (approver), an applicant and an
    /// in-use seal, made through the organisation's and the register's services (audited and ledgered like an
    /// admin's); the users get random passwords because nobody signs in.
    /// </summary>
    private static async Task SeedOrganisationAsync(IServiceProvider services, string run, string approver, string applicant, string sealId, CancellationToken ct)
    {
        const string Actor = "approvals-bench";
        OrgStore organisation = services.GetRequiredService<OrgStore>();
        string unit = "bench-" + run;
        string? root = (await organisation.ListUnitsAsync(ct)).FirstOrDefault(u => u.ParentId is null)?.Id;
        Succeeded(await organisation.CreateUnitAsync(unit, root, "基准", null, Actor, ct));
        foreach ((string login, string role) in new[] { (approver, Security.Roles.Approver), (applicant, Security.Roles.Applicant) })
        {
            Succeeded(await organisation.CreateUserAsync(login, login, unit, null, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), Actor, ct));
            Succeeded(await organisation.GrantRoleAsync(login, role, unit, Actor, ct));
        }

        SealRegistry register = services.GetRequiredService<SealRegistry>();
        var keeper = new CallerScope(Actor, Everything: true, [], []);
        string tag = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        Succeeded(await register.RegisterAsync(new RegisterSeal(sealId, "基准章", SealType.Contract, unit, 1, null, tag), keeper, ct));
        Succeeded(await register.TransitionAsync(sealId, SealAction.Engrave, null, null, keeper, ct));
        Succeeded(await register.TransitionAsync(sealId, SealAction.Activate, null, null, keeper, ct));
    }

    private static void Succeeded<T>(ChangeResult<T> result)
    {
        if (result.Status != ChangeStatus.Ok)
        {
            throw new InvalidOperationException($"seeding the bench failed ({result.Status}): {result.Error ?? string.Join("; ", result.Problems?.Select(p => $"{p.Key} {string.Join(", ", p.Value)}") ?? [])}");
        }
    }
}
