using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmartSeal.Cloud.Ledger;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Organisation;

/// <summary>Units, users and roles through the API; sign-in, tokens, lockout, logout and the password policy.</summary>
public class OrganisationTests : CloudTest<CloudFactory>
{
    private readonly CloudFactory _cloud;
    private readonly OrgWorld _org;

    public OrganisationTests(CloudFactory cloud)
        : base(cloud)
    {
        _cloud = cloud;
        _org = new OrgWorld(cloud);
    }

    [Fact]
    public async Task A_signed_in_user_gets_a_token_that_names_them_their_unit_and_their_roles()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("gd"), "hq", "广东省分公司");
        string city = await _org.UnitAsync(OrgWorld.Unique("sz"), province, "深圳市分公司");
        string login = await _org.UserAsync(OrgWorld.Unique("li.na"), city, "keeper", "approver");

        HttpClient client = await _org.SignInAsync(login);
        JsonElement me = await client.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(login, me.GetProperty("login").GetString());
        Assert.Equal(city, me.GetProperty("unitId").GetString());
        Assert.Equal("印章管理员", me.GetProperty("post").GetString());
        Assert.Equal(["approver", "keeper"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.All(me.GetProperty("unitRoles").EnumerateArray(), r => Assert.Equal(city, r.GetProperty("unitId").GetString()));

        JsonElement apiKey = await _org.Admin.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(["sysadmin"], apiKey.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Only_a_sysadmin_changes_the_organisation()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("js"), "hq");
        string keeper = await _org.UserAsync(OrgWorld.Unique("wang.fang"), province, "keeper");
        HttpClient client = await _org.SignInAsync(keeper);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/org/units", new { id = OrgWorld.Unique("x"), parentId = province, nameZh = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/org/users/{keeper}/roles", new { role = "sysadmin", unitId = "hq" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _cloud.CreateClient().GetAsync("/api/me")).StatusCode);

        // A sysadmin user (not only the API key) may.
        string admin = await _org.UserAsync(OrgWorld.Unique("root"), province, "sysadmin");
        HttpClient adminUser = await _org.SignInAsync(admin);
        Assert.Equal(HttpStatusCode.Created, (await adminUser.PostAsJsonAsync("/api/org/units", new { id = OrgWorld.Unique("nj"), parentId = province, nameZh = "南京" })).StatusCode);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_even_the_right_password_is_refused_until_a_reset()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("hb"), "hq");
        string login = await _org.UserAsync(OrgWorld.Unique("zhao.lei"), province, "applicant");

        for (int i = 1; i <= 4; i++)
        {
            await OrgWorld.AssertProblemAsync(await _org.LoginAsync(login, "Wrong-password-" + i), HttpStatusCode.Unauthorized, "wrong password");
        }

        HttpResponseMessage fifth = await _org.LoginAsync(login, "Wrong-password-5");
        JsonElement locked = await OrgWorld.AssertProblemAsync(fifth, (HttpStatusCode)423, "locked until");
        Assert.True(locked.GetProperty("lockedUntilMs").GetInt64() > DateTimeOffset.UtcNow.AddMinutes(14).ToUnixTimeMilliseconds());
        Assert.True(fifth.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14));

        await OrgWorld.AssertProblemAsync(await _org.LoginAsync(login, OrgWorld.Password), (HttpStatusCode)423, "locked");

        // The unknown user gets the wrong-password answer, not a hint that the login does not exist.
        await OrgWorld.AssertProblemAsync(await _org.LoginAsync("nobody-" + login, OrgWorld.Password), HttpStatusCode.Unauthorized, "unknown login or wrong password");

        Assert.Equal(HttpStatusCode.OK, (await _org.Admin.PutAsJsonAsync($"/api/org/users/{login}/password", new { password = "Another-good-one-7" })).StatusCode);
        await _org.SignInAsync(login, "Another-good-one-7");
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Wrong_passwords_that_stop_short_of_five_are_forgotten_after_a_good_login()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("sc"), "hq");
        string login = await _org.UserAsync(OrgWorld.Unique("chen.jie"), province, "applicant");
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await _org.LoginAsync(login, "Wrong-password-x")).StatusCode);
            }

            await _org.SignInAsync(login);
        }
    }

    [Fact]
    public async Task Logout_revokes_the_token_and_a_deactivated_user_loses_every_token()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("hn"), "hq");
        string login = await _org.UserAsync(OrgWorld.Unique("sun.li"), province, "auditor");
        HttpClient first = await _org.SignInAsync(login);
        HttpClient second = await _org.SignInAsync(login);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await first.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _org.Admin.PutAsJsonAsync($"/api/org/users/{login}/active", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _org.LoginAsync(login, OrgWorld.Password)).StatusCode);

        // A made-up token of the right shape is refused too.
        HttpClient forged = _cloud.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", "sst_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/me")).StatusCode);
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task A_user_changes_their_own_password_only_with_the_current_one()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("gs"), "hq");
        string login = await _org.UserAsync(OrgWorld.Unique("ma.yun"), province, "applicant");
        HttpClient client = await _org.SignInAsync(login);

        await OrgWorld.AssertProblemAsync(await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Not-the-password-1", newPassword = "Brand-new-secret-9" }), HttpStatusCode.BadRequest, "currentPassword");
        await OrgWorld.AssertProblemAsync(await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = OrgWorld.Password, newPassword = "short" }), HttpStatusCode.BadRequest, "newPassword");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = OrgWorld.Password, newPassword = "Brand-new-secret-9" })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _org.LoginAsync(login, OrgWorld.Password)).StatusCode);
        await _org.SignInAsync(login, "Brand-new-secret-9");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/auth/password", new { currentPassword = "x", newPassword = "Brand-new-secret-9" }), HttpStatusCode.Conflict, "admin API key");

        var actions = (await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: "org:" + province, Limit: 100))).Select(e => (LedgerCanon.Fields(e.Payload)["action"], e.Actor));
        Assert.Contains(("password-set", login), actions);
        _cloud.AssertNoErrors();
    }

    [Theory]
    [InlineData("short-1", "at least 10")]
    [InlineData("{login}-2026-ok", "login name")]
    [InlineData("aaaaaaaaaaaa", "so few characters")]
    [InlineData("", "required")]
    public async Task The_password_policy_refuses_weak_passwords(string password, string reason)
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("yn"), "hq");
        string login = OrgWorld.Unique("qian.bo");
        HttpResponseMessage response = await _org.Admin.PostAsJsonAsync("/api/org/users",
            new { login, displayName = "钱波", unitId = province, password = password.Replace("{login}", login.ToUpperInvariant(), StringComparison.Ordinal) });
        JsonElement problem = await OrgWorld.AssertProblemAsync(response, HttpStatusCode.BadRequest, reason);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Bad_organisation_requests_are_validation_problems_or_conflicts()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("gx"), "hq");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/units", new { id = "Bad Id!", parentId = province, nameZh = "x" }), HttpStatusCode.BadRequest, "\"id\"");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/units", new { id = OrgWorld.Unique("q"), parentId = "no-such-unit", nameZh = "x" }), HttpStatusCode.BadRequest, "no unit no-such-unit");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/units", new { id = OrgWorld.Unique("root2"), nameZh = "第二个根" }), HttpStatusCode.BadRequest, "root unit");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/units", new { id = province, parentId = "hq", nameZh = "x" }), HttpStatusCode.Conflict, province);
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/users", new { login = OrgWorld.Unique("u"), displayName = "x", unitId = "nowhere", password = OrgWorld.Password }), HttpStatusCode.BadRequest, "no unit nowhere");
        string login = await _org.UserAsync(OrgWorld.Unique("he.yu"), province);
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/users", new { login, displayName = "x", unitId = province, password = OrgWorld.Password }), HttpStatusCode.Conflict, "exists");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync($"/api/org/users/{login}/roles", new { role = "emperor", unitId = province }), HttpStatusCode.BadRequest, "applicant");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/users/nobody-here/roles", new { role = "keeper", unitId = province }), HttpStatusCode.NotFound, "nobody-here");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/auth/login", new { login = "" }), HttpStatusCode.BadRequest, "password");
        _cloud.AssertNoErrors();
    }

    [Fact]
    public async Task Delegations_are_stored_for_approvers_only_and_every_admin_action_is_in_the_verified_ledger()
    {
        await _org.EnsureRootAsync();
        string province = await _org.UnitAsync(OrgWorld.Unique("fj"), "hq");
        string approver = await _org.UserAsync(OrgWorld.Unique("zhou.min"), province, "approver");
        string deputy = await _org.UserAsync(OrgWorld.Unique("wu.qi"), province, "applicant");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        HttpResponseMessage delegated = await _org.Admin.PostAsJsonAsync("/api/org/delegations",
            new { fromLogin = approver, toLogin = deputy, unitId = province, startsMs = now, endsMs = now + 86_400_000, reason = "出差" });
        Assert.Equal(HttpStatusCode.Created, delegated.StatusCode);
        JsonElement[] list = (await _org.Admin.GetFromJsonAsync<JsonElement[]>($"/api/org/delegations?login={deputy}"))!;
        Assert.Equal(approver, Assert.Single(list).GetProperty("fromLogin").GetString());

        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/delegations",
            new { fromLogin = deputy, toLogin = approver, startsMs = now, endsMs = now + 1000 }), HttpStatusCode.BadRequest, "no approver role");
        await OrgWorld.AssertProblemAsync(await _org.Admin.PostAsJsonAsync("/api/org/delegations",
            new { fromLogin = approver, toLogin = deputy, startsMs = now, endsMs = now - 1 }), HttpStatusCode.BadRequest, "endsMs");

        var entries = await _cloud.Service<LedgerQueries>().SearchAsync(new LedgerSearch(SealId: "org:" + province, Limit: 100));
        var actions = entries.OrderBy(e => e.Seq).Select(e => LedgerCanon.Fields(e.Payload)["action"]).ToList();
        Assert.Equal(["unit-created", "user-created", "role-granted", "user-created", "role-granted", "approval-delegated"], actions);
        Assert.All(entries, e => Assert.Equal("admin-api-key", e.Actor));
        LedgerVerification verification = await _cloud.Service<LedgerVerifier>().VerifyAsync("org:" + province);
        Assert.True(verification.Intact, verification.FirstProblem?.Problem);
        _cloud.AssertNoErrors();
    }
}
