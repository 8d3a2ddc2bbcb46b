using ProcessMaster.Core.Config.FileModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ProcessMaster.Core.Config.Parsing;

/// <summary>The expected shape of a YAML node, derived from the file-model DTO types.</summary>
internal abstract record Shape(string Expected);

/// <summary>Any scalar, taken as text (<c>max_swap: 0</c> is the string "0").</summary>
internal sealed record TextShape() : Shape("a string");

/// <summary><c>true</c> or <c>false</c>.</summary>
internal sealed record BoolShape() : Shape("true or false");

/// <summary>A non-negative whole number.</summary>
internal sealed record WholeNumberShape() : Shape("a whole number");

internal sealed record ListShape(Type ListType, Shape Item) : Shape("a list");

internal sealed record DictionaryShape(Type DictionaryType, Shape Value) : Shape("a mapping");

internal sealed record ObjectShape(Type Type, IReadOnlyList<SchemaField> Fields) : Shape("a mapping")
{
    public SchemaField? Find(string key) => Fields.FirstOrDefault(f => f.Key == key);
}

internal sealed record SchemaField(string Key, IPropertyDescriptor Property, Shape Shape);

/// <summary>
/// Key tables for strict parsing, built from the generated static type inspector of
/// <see cref="ConfigYamlContext"/> (no reflection): each DTO property becomes a key via the same
/// underscored naming convention, so the DTO classes are the single source of truth for valid keys.
/// </summary>
internal static class YamlSchema
{
    public static ConfigYamlContext Context { get; } = new();

    public static ObjectShape MasterConfig { get; } = (ObjectShape)ShapeOf(typeof(MasterConfigFile));

    public static ObjectShape ServiceFile { get; } = (ObjectShape)ShapeOf(typeof(ServiceFile));

    private static Shape ShapeOf(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string))
        {
            return new TextShape();
        }

        if (t == typeof(bool))
        {
            return new BoolShape();
        }

        if (t == typeof(ulong))
        {
            return new WholeNumberShape();
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
        {
            return new ListShape(t, ShapeOf(t.GetGenericArguments()[0]));
        }

        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return new DictionaryShape(t, ShapeOf(t.GetGenericArguments()[1]));
        }

        ITypeInspector inspector = Context.GetTypeInspector();
        var fields = inspector.GetProperties(t, null)
            .Select(p => new SchemaField(UnderscoredNamingConvention.Instance.Apply(p.Name), p, ShapeOf(p.Type)))
            .ToList();
        if (fields.Count == 0)
        {
            throw new InvalidOperationException($"file-model type {t.Name} is not registered in ConfigYamlContext");
        }

        return new ObjectShape(t, fields);
    }
}
