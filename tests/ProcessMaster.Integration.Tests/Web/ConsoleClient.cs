using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ProcessMaster.Testing;

namespace ProcessMaster.Integration.Tests.Web;

/// <summary>HTTP helpers for the console tests: a logged-in client with its CSRF token, JSON-RPC posts, stream reads.</summary>
internal sealed class ConsoleClient : IDisposable
{
    private ConsoleClient(HttpClient http, string token)
    {
        Http = http;
        Token = token;
    }

    public HttpClient Http { get; }

    /// <summary>The CSRF token of this client (cookie and page meta).</summary>
    public string Token { get; }

    /// <summary>Loads the status page as the test user and keeps its CSRF cookie.</summary>
    public static async Task<ConsoleClient> LogInAsync(Uri address, bool anyCertificate = false)
    {
        HttpClient http = ConsoleSetup.Client(address, anyCertificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, "status");
        request.Headers.Authorization = ConsoleSetup.Basic();
        using HttpResponseMessage page = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        const string Meta = "<meta name=\"csrf-token\" content=\"";
        int at = html.IndexOf(Meta, StringComparison.Ordinal) + Meta.Length;
        return new ConsoleClient(http, html[at..html.IndexOf('"', at)]);
    }

    /// <summary>POSTs one JSON-RPC request (with the token unless <paramref name="token"/> says otherwise).</summary>
    public Task<HttpResponseMessage> PostAsync(string json, string? token = "", string contentType = "application/json", AuthenticationHeaderValue? auth = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "rpc") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = auth ?? ConsoleSetup.Basic();
        if (token is not null) request.Headers.Add("X-CSRF-Token", token.Length == 0 ? Token : token);
        return Http.SendAsync(request);
    }

    /// <summary>Calls a method and returns the JSON-RPC reply's root (result or error).</summary>
    public async Task<JsonElement> CallAsync(string method, string @params = "{}")
    {
        using HttpResponseMessage response = await PostAsync($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{@params}}}""");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method}: HTTP {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Reads a stream until <paramref name="until"/> holds for the text so far (or it ends), then closes it.</summary>
    public async Task<string> ReadStreamAsync(string path, Func<string, bool> until, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = ConsoleSetup.Basic();
        using HttpResponseMessage response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using Stream stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            int read;
            while (!until(text.ToString()) && (read = await stream.ReadAsync(buffer, cts.Token)) > 0)
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"stream {path}: the awaited text did not arrive within {timeout}; got:\n{text}");
        }
        return text.ToString();
    }

    public void Dispose() => Http.Dispose();
}
