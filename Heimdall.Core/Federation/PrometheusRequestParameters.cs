using System.Collections.Immutable;

namespace Heimdall.Core.Federation;

/// <summary>
/// The parameters of one Prometheus API request, from the URL and the form body together: immutable, so each
/// upstream request of a fan-out is built from its own copy and concurrent rewrites never see each other.
/// </summary>
internal sealed class PrometheusRequestParameters
{
    private readonly ImmutableArray<KeyValuePair<string, string>> _items;

    private PrometheusRequestParameters(ImmutableArray<KeyValuePair<string, string>> items) => _items = items;

    /// <summary>No parameters.</summary>
    public static PrometheusRequestParameters Empty { get; } = new([]);

    /// <summary>All parameters in their original order.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Items => _items;

    /// <summary>The number of name/value pairs.</summary>
    public int Count => _items.Length;

    /// <summary>Creates a set from pairs.</summary>
    public static PrometheusRequestParameters Create(IEnumerable<KeyValuePair<string, string>> items) => new([.. items]);

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? Get(string name)
    {
        foreach (var (k, v) in _items)
        {
            if (k == name)
            {
                return v;
            }
        }
        return null;
    }

    /// <summary>Every value of <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        List<string>? values = null;
        foreach (var (k, v) in _items)
        {
            if (k == name)
            {
                (values ??= []).Add(v);
            }
        }
        return values ?? (IReadOnlyList<string>)[];
    }

    /// <summary>True when <paramref name="name"/> is present.</summary>
    public bool Contains(string name) => Get(name) is not null;

    /// <summary>A copy where <paramref name="name"/> has exactly <paramref name="values"/> (at the place of its first occurrence, else appended).</summary>
    public PrometheusRequestParameters With(string name, IEnumerable<string> values)
    {
        var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>(_items.Length + 1);
        var inserted = false;
        foreach (var item in _items)
        {
            if (item.Key != name)
            {
                builder.Add(item);
            }
            else if (!inserted)
            {
                inserted = true;
                foreach (var v in values)
                {
                    builder.Add(new(name, v));
                }
            }
        }
        if (!inserted)
        {
            foreach (var v in values)
            {
                builder.Add(new(name, v));
            }
        }
        return new(builder.ToImmutable());
    }

    /// <summary>A copy where <paramref name="name"/> has the single <paramref name="value"/>.</summary>
    public PrometheusRequestParameters With(string name, string value) => With(name, [value]);

    /// <summary>A copy without <paramref name="name"/>.</summary>
    public PrometheusRequestParameters Without(string name) => new(_items.RemoveAll(i => i.Key == name));

    /// <summary>The set encoded as <c>application/x-www-form-urlencoded</c> (also usable as a query string).</summary>
    public string Encode() => FormUrlEncoding.Encode(_items);
}
