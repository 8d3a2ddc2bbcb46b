using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProcessMaster.Daemon.Web.Endpoints;
using ProcessMaster.Daemon.Web.Security;
using ProcessMaster.Daemon.Web.Tls;
using ProcessMaster.Protocol;

namespace ProcessMaster.Daemon.Web;

/// <summary>
/// Builds the console's Kestrel host (slim builder: no configuration files, no logging providers, JSON only through
/// source-generated contexts) with one route group per area: the page, <c>rpc</c> and <c>stream</c>.
/// </summary>
internal static class ConsoleHost
{
    public static WebApplication Build(IPAddress bind, int port, ConsoleCertificate? certificate, bool mtls, ConsoleGate gate, ConsoleServices services)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = "processmaster",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear(); // nothing from appsettings.json or ASPNETCORE_* may change what is served
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ProtocolJsonContext.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, WebJsonContext.Default);
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RpcEndpoint.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MaxConcurrentConnections = 512;
            kestrel.Listen(bind, port, listen =>
            {
                if (certificate is null) return;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate.Server,
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                    ClientCertificateMode = mtls ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
                    ClientCertificateValidation = mtls ? (client, _, _) => ChainsTo(client, certificate.Ca!) : null,
                });
            });
        });

        WebApplication app = builder.Build();
        app.Use(gate.InvokeAsync);
        app.MapGet("/", context =>
        {
            context.Response.Redirect("/processmaster/status");
            return Task.CompletedTask;
        });
        app.MapGet(ConsoleGate.MetricsPath, context => MetricsEndpoint.HandleAsync(context, services));
        RouteGroupBuilder console = app.MapGroup("/processmaster");
        PageEndpoints.Map(console, services);
        RpcEndpoint.Map(console.MapGroup("/rpc"), services);
        StreamEndpoints.Map(console.MapGroup("/stream"), services);
        return app;
    }

    /// <summary>The address Kestrel bound (the real port when 0 was configured).</summary>
    public static string BoundAddress(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";

    private static bool ChainsTo(X509Certificate2 client, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client);
    }
}
