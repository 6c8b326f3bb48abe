using System.Text;
using Efflux.Processing.Engine;

namespace Efflux.Processing.Tests;

/// <summary>Events read from record payloads.</summary>
public sealed class EventTests
{
    /// <summary>
    /// Records of changing shapes read one after another on one thread (which reuses the last record's names and
    /// schema where they match) each keep their own names, order and values, with the pseudo-attributes last and in
    /// place of payload fields of the same names.
    /// </summary>
    [Fact]
    public void RecordsOfChangingShapes_KeepTheirOwnNamesAndValues()
    {
        KeyValuePair<string, Value>[] pseudo = [new("_offset", Value.From(7L)), new("_id", Value.From("m"))];
        string[] payloads =
        [
            """{"a":1,"b":"x"}""",
            """{"a":2,"b":"y"}""",
            """{"a":3,"c":true}""",
            """{"b":"z","a":4}""",
            """{"a":5}""",
            """{"a":6,"b":"w","d":null}""",
            """{"a":7,"_id":"payload"}""",
            "",
            """{"a":8,"b":"v"}""",
        ];
        string[][] names =
        [
            ["a", "b", "_offset", "_id"],
            ["a", "b", "_offset", "_id"],
            ["a", "c", "_offset", "_id"],
            ["b", "a", "_offset", "_id"],
            ["a", "_offset", "_id"],
            ["a", "b", "d", "_offset", "_id"],
            ["a", "_offset", "_id"],
            ["_offset", "_id"],
            ["a", "b", "_offset", "_id"],
        ];
        for (var i = 0; i < payloads.Length; i++)
        {
            var e = Event.FromRecord(Encoding.UTF8.GetBytes(payloads[i]), pseudo, 1000 + i, i);
            Assert.Equal(names[i], e.Schema.Names);
            Assert.Equal(names[i], e.Attributes.Select(a => a.Key));
            Assert.Equal(payloads[i].Length == 0 ? Value.Null : Value.From(i < 7 ? i + 1L : i), e.Get("a"));
            Assert.Equal(Value.From("m"), e.Get("_id"));
            Assert.Equal(1000 + i, e.Time);
        }

        Assert.Equal(Value.From("x"), Event.FromRecord("""{"a":1,"b":"x"}"""u8, pseudo, 0, 0).Get("b"));
        Assert.Equal(Value.Null, Event.FromRecord("""{"a":1,"c":"x"}"""u8, pseudo, 0, 0).Get("b"));
    }
}
