using SmartSeal.Cloud.Tests.Alarms;
using SmartSeal.Cloud.Tests.Infrastructure;

namespace SmartSeal.Cloud.Tests.Notifications;

/// <summary>
/// The cloud with all three work-notice channels pointing at one local <see cref="WebhookReceiver"/>
/// that answers like DingTalk, WeCom and Feishu do (their paths, token replies and send replies), and
/// fast retries.
/// </summary>
public sealed class WorkAppsCloudFactory : CloudFactory
{
    public const string DingTalkToken = "ding-access-token-1";
    public const string WeComToken = "wecom-access-token-1";
    public const string FeishuToken = "t-feishu-tenant-token-1";
    public const string PortalUrl = "https://seal.example.com";

    public WebhookReceiver Apps { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            Apps.Reply("/gettoken", $"{{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"{DingTalkToken}\",\"expires_in\":7200}}");
            Apps.Reply("/topapi/message/corpconversation/asyncsend_v2", "{\"errcode\":0,\"errmsg\":\"ok\",\"task_id\":256271667526,\"request_id\":\"4jzllmte0wau\"}");
            Apps.Reply("/cgi-bin/gettoken", $"{{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"{WeComToken}\",\"expires_in\":7200}}");
            Apps.Reply("/cgi-bin/message/send", "{\"errcode\":0,\"errmsg\":\"ok\",\"invaliduser\":\"\",\"invalidparty\":\"\",\"invalidtag\":\"\",\"msgid\":\"xx\"}");
            Apps.Reply("/open-apis/auth/v3/tenant_access_token/internal", $"{{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"{FeishuToken}\",\"expire\":7200}}");
            Apps.Reply("/open-apis/im/v1/messages", "{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"om_dc13264520392913993dd051dba21dcf\"}}");
            string baseUrl = Apps.Url(string.Empty);
            return new Dictionary<string, string?>
            {
                ["SmartSeal:Notifications:PortalUrl"] = PortalUrl,
                ["SmartSeal:Notifications:DingTalk:BaseUrl"] = baseUrl,
                ["SmartSeal:Notifications:DingTalk:AppKey"] = "dingappkey",
                ["SmartSeal:Notifications:DingTalk:AppSecret"] = "ding-app-secret",
                ["SmartSeal:Notifications:DingTalk:AgentId"] = "2973471234",
                ["SmartSeal:Notifications:WeCom:BaseUrl"] = baseUrl,
                ["SmartSeal:Notifications:WeCom:CorpId"] = "ww1234567890abcdef",
                ["SmartSeal:Notifications:WeCom:CorpSecret"] = "wecom-secret",
                ["SmartSeal:Notifications:WeCom:AgentId"] = "1000002",
                ["SmartSeal:Notifications:Feishu:BaseUrl"] = baseUrl,
                ["SmartSeal:Notifications:Feishu:AppId"] = "cli_a1b2c3d4e5",
                ["SmartSeal:Notifications:Feishu:AppSecret"] = "feishu-secret",
                ["SmartSeal:Notifications:Delivery:FirstRetryDelay"] = "00:00:00.100",
                ["SmartSeal:Notifications:Delivery:PollInterval"] = "00:00:00.100",
                ["SmartSeal:Notifications:Delivery:MaxAttempts"] = "3",
                ["SmartSeal:Alarms:LiveFeed:KeepAlive"] = "00:00:00.500",
            };
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Apps.Dispose();
    }
}
