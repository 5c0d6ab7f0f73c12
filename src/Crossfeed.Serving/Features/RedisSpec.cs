using System.Globalization;
using Crossfeed.Core;
using StackExchange.Redis;

namespace Crossfeed.Serving.Features;

/// <summary>
/// Where a Redis feature store lives: <c>redis://HOST:PORT[/prefix]</c> (port 6379 when left out, prefix
/// "crossfeed" when left out). Entity <c>id</c> of kind user, show or creative is the key
/// <c>{prefix}:{kind}:{id}</c>; the snapshot.json of the loaded snapshot is <c>{prefix}:snapshot</c>.
/// </summary>
public sealed record RedisSpec(string Host, int Port, string Prefix)
{
    public const string Scheme = "redis://";
    public const string DefaultPrefix = "crossfeed";

    public string EntityKey(EntityKind kind, string id) => $"{Prefix}:{EntityKinds.Name(kind)}:{id}";

    /// <summary>Written last by a load, so its presence means a complete snapshot is in place.</summary>
    public string SnapshotKey => $"{Prefix}:snapshot";

    public override string ToString() => $"{Scheme}{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Prefix}";

    public static bool IsRedis(string spec) => spec.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static RedisSpec Parse(string spec)
    {
        BadInputException Bad(string why) => new($"{spec}: {why}; expected redis://HOST:PORT[/prefix]");
        if (!IsRedis(spec)) throw Bad("not a redis:// address");
        var rest = spec[Scheme.Length..];
        var slash = rest.IndexOf('/');
        var hostPort = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? DefaultPrefix : rest[(slash + 1)..].TrimEnd('/');
        if (prefix.Length == 0) prefix = DefaultPrefix;
        if (prefix.Any(char.IsWhiteSpace)) throw Bad("the prefix has white space");
        var colon = hostPort.LastIndexOf(':');
        var host = colon < 0 ? hostPort : hostPort[..colon];
        int port = 6379;
        if (colon >= 0 && !(int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536))
            throw Bad($"bad port '{hostPort[(colon + 1)..]}'");
        if (host.Length == 0 || host.Contains('@')) throw Bad(host.Length == 0 ? "no host" : "credentials in the address are not supported");
        return new RedisSpec(host, port, prefix);
    }

    /// <summary>Connects, failing fast with one line when the server does not answer.</summary>
    public ConnectionMultiplexer Connect()
    {
        var options = new ConfigurationOptions { AbortOnConnectFail = true, ConnectTimeout = 3000, SyncTimeout = 5000, ConnectRetry = 1 };
        options.EndPoints.Add(Host, Port);
        try
        {
            return ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException)
        {
            throw new BadInputException($"{Scheme}{Host}:{Port.ToString(CultureInfo.InvariantCulture)}: cannot connect to Redis (is redis-server running there?)");
        }
    }
}
