/// One rule of a mapping: where it writes, what it reads and how it converts.
public struct MappingRule: Sendable {
    /// A rule that writes one value.
    public struct ValueRule: Sendable {
        /// The paths read (`source:`; a list of paths gives an array, for `join`).
        public var sources: [SourcePath]
        /// True when `source:` was a list (the value is then always an array).
        public var sourceIsList: Bool
        /// A constant (`value:`) used instead of a source.
        public var constant: JSONValue?
        /// The steps of `apply:` (and a rule-level `catalogue:` last).
        public var steps: [MappingFunction]
        /// Written when the converted value is missing or null (`default:`, not converted).
        public var defaultValue: JSONValue?
        /// Fail with `transform.rule_failed` when there is still no value (`required: true`).
        public var required: Bool
    }

    /// A rule that writes an array, one element per item of a source array (`for-each:`).
    public struct ForEachRule: Sendable {
        /// The list to iterate (a JSON array, or the nodes an XPath selects).
        public var source: SourcePath
        /// Only the items for which this holds (`where:`), evaluated with the item as context.
        public var filter: MappingCondition?
        /// The rules that build each element, with paths relative to the item.
        public var rules: [MappingRule]
    }

    /// What the rule writes.
    public enum Kind: Sendable {
        case value(ValueRule)
        case forEach(ForEachRule)
    }

    /// File, line and number of the rule, for errors.
    public var location: RuleLocation
    /// Where it writes.
    public var target: TargetPath
    /// Its `when`, if any.
    public var condition: MappingCondition?
    /// A value or a for-each.
    public var kind: Kind
}
