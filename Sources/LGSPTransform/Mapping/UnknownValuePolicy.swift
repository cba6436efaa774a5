/// What a lookup (`catalogue`, `map`) does with a value it does not know.
public enum UnknownValuePolicy: Sendable, Hashable {
    /// Fail with `transform.unknown_code` naming the value and the catalogue (the default).
    case fail
    /// Keep the value unchanged.
    case pass
    /// Use this value instead.
    case replace(JSONValue)
}

/// What a catalogue lookup does when a value matches several rows (an old commune split between
/// several new ones).
public enum AmbiguityPolicy: Sendable {
    /// Fail with `transform.ambiguous_code` listing the candidates (the default).
    case fail
    /// Return every candidate, as an array.
    case all
    /// Keep the one candidate whose `column` matches (by folded name) the value at `source`; fail
    /// when none or several do.
    case hint(source: SourcePath, column: String)
}

/// A lookup in a national catalogue.
public struct CatalogueLookup: Sendable {
    /// The catalogue's name (`ethnic-group`, the file `mappings/catalogues/ethnic-group.csv`).
    public var catalogue: String
    /// The column the value is matched in (default `code`; a name column matches loosely).
    public var match: String
    /// The column whose value replaces it (default `code`).
    public var result: String
    /// What to do with a value the column does not hold (`unknown:`).
    public var unknown: UnknownValuePolicy
    /// What to do with a value several rows hold (`ambiguous:`).
    public var ambiguous: AmbiguityPolicy
}
