using System.Data.Common;
using Dapper;
using Microsoft.Playwright;
using SmartSeal.Cloud.Storage;
using SmartSeal.Cloud.Tests.Faces;
using SmartSeal.Portal.Tests.Infrastructure;

namespace SmartSeal.Portal.Tests.Keeper;

/// <summary>The keeper desk: an inventory check by hand, face enrolment, and what it refuses.</summary>
public sealed class KeeperDeskTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task An_inventory_check_finds_the_seal_by_its_tag_typed_by_hand_and_closes_clean()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string tag = await TagAsync(world.SealId);
        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GotoAsync("/Keeper/Inventory");
        await keeper.GetByLabel("所属单位").SelectOptionAsync(await UnitAsync(world.SealId));
        await keeper.GetByRole(AriaRole.Button, new() { Name = "开始", Exact = true }).ClickAsync();

        ILocator check = keeper.GetByTestId("inventory-check");
        await Expect(check.GetByTestId("expected")).ToHaveTextAsync("1");
        await Expect(check.GetByTestId("discrepancies")).ToContainTextAsync("缺失");

        await keeper.GetByLabel("手工读到的标签（每行一个或用逗号分隔）").FillAsync(tag);
        await keeper.GetByRole(AriaRole.Button, new() { Name = "记录标签" }).ClickAsync();
        await Expect(check.GetByTestId("found")).ToHaveTextAsync("1");
        await Expect(check.GetByTestId("found-rows")).ToContainTextAsync($"{world.Keeper} 手工录入");
        await Expect(check).ToHaveAttributeAsync("data-clean", "true");

        await keeper.GetByRole(AriaRole.Button, new() { Name = "结束盘点" }).ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToContainTextAsync("已结束");
        await Expect(check).ToHaveAttributeAsync("data-closed", "true");
        await Expect(keeper.GetByRole(AriaRole.Button, new() { Name = "记录标签" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_keeper_enrols_a_face_from_photos_sees_the_recipe_and_revokes_it()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GotoAsync("/Keeper/Faces");

        // A photo with two people is refused, naming the photo.
        await keeper.GetByLabel("账号", new() { Exact = true }).Last.FillAsync(world.Applicant);
        await keeper.GetByLabel("照片").SetInputFilesAsync([Angelina("deepface_img1.jpg"), FaceWorld.Photo(".", "two_people.jpg")]);
        await keeper.GetByRole(AriaRole.Button, new() { Name = "上传并录入" }).ClickAsync();
        await Expect(keeper.GetByTestId("faces-error")).ToContainTextAsync("two_people.jpg");

        await keeper.GetByLabel("账号", new() { Exact = true }).Last.FillAsync(world.Applicant);
        await keeper.GetByLabel("照片").SetInputFilesAsync([Angelina("deepface_img1.jpg"), Angelina("deepface_img10.jpg")]);
        await keeper.GetByRole(AriaRole.Button, new() { Name = "上传并录入" }).ClickAsync();
        await Expect(keeper.GetByRole(AriaRole.Status)).ToHaveTextAsync($"已为 {world.Applicant} 录入 2 张人脸模板。");
        await Expect(keeper.GetByTestId("templates")).ToHaveTextAsync("2");
        await Expect(keeper.GetByTestId("recipe")).ToContainTextAsync("当前版本");

        await keeper.GetByRole(AriaRole.Button, new() { Name = "撤销录入" }).ClickAsync();
        await Expect(keeper.GetByTestId("no-enrolment")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Stowing_into_a_missing_compartment_is_refused_with_the_reason()
    {
        PortalWorld world = await PortalWorld.CreateAsync(Org);
        string cabinet = "cab-desk-" + Guid.NewGuid().ToString("n")[..6];
        await Fixture.Cloud.ProvisionAsync(cabinet, SmartSeal.Cloud.Devices.DeviceKind.Cabinet, 4);
        IPage keeper = await SignInAsync(world.Keeper);
        await keeper.GotoAsync("/Keeper");
        await keeper.GetByLabel("印章", new() { Exact = true }).SelectOptionAsync(world.SealId);
        await keeper.GetByLabel("印章柜", new() { Exact = true }).SelectOptionAsync(cabinet);
        await keeper.GetByLabel("格口").FillAsync("9");
        await keeper.GetByRole(AriaRole.Button, new() { Name = "打开格口" }).ClickAsync();
        await Expect(keeper.GetByTestId("keeper-error")).ToContainTextAsync("compartments 1..4");
    }

    private static string Angelina(string file) => FaceWorld.Photo("angelina_jolie", file);

    private async Task<string> TagAsync(string sealId)
    {
        await using DbConnection connection = await Fixture.Cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT rfid_tag FROM seals WHERE id = @sealId", new { sealId }) ?? "";
    }

    private async Task<string> UnitAsync(string sealId)
    {
        await using DbConnection connection = await Fixture.Cloud.Service<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT unit_id FROM seals WHERE id = @sealId", new { sealId }) ?? "";
    }
}
