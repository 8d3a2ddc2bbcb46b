using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
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
/// source-generated contexts) with one route group per area: the page, <c>rpc</c> and <c>stream</c>. Built for each run
/// of the HTTP server (<see cref="WebConsole"/> starts one on the first connection and drops it when idle); it listens
/// through <paramref name="transport"/>, never on a socket of its own.
/// </summary>
internal static class ConsoleHost
{
    /// <param name="connectionEnded">Called once per connection when it ends (after TLS, HTTP and any stream).</param>
    public static WebApplication Build(ConsoleTransport transport, ConsoleCertificate? certificate, bool mtls, ConsoleGate gate, ConsoleServices services, Action connectionEnded)
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
        builder.Services.AddSingleton<IConnectionListenerFactory>(transport);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = RpcEndpoint.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            // The connection limit (WebConsole.MaxConnections) is applied at accept: a connection Kestrel refused by its
            // own limit would never reach the middleware below, and the count of open connections would drift.
            kestrel.Listen(transport.EndPoint, listen =>
            {
                listen.Use(next => async connection =>
                {
                    try
                    {
                        await next(connection).ConfigureAwait(false);
                    }
                    finally
                    {
                        connectionEnded();
                    }
                });
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

    private static bool ChainsTo(X509Certificate2 client, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(client);
    }
}
