/// A rule's `when`: the rule applies only when the condition holds for the input.
///
/// Forms: `{source: P, exists: true|false}`, `{source: P, equals: V}`, `{source: P, in: [V…]}`,
/// `{source: P, matches: REGEX}`, `{not: C}`, `{all: [C…]}`, `{any: [C…]}`. Values compare as JSON,
/// or as text when one side is text (XML values are always text).
public indirect enum MappingCondition: Sendable {
    case exists(SourcePath, Bool)
    case equals(SourcePath, JSONValue)
    case oneOf(SourcePath, [JSONValue])
    case matches(SourcePath, RegexBox)
    case not(MappingCondition)
    case all([MappingCondition])
    case any([MappingCondition])

    /// The source paths the condition reads (for `lgsp mapping check`).
    var sources: [SourcePath] {
        switch self {
        case .exists(let path, _), .equals(let path, _), .oneOf(let path, _), .matches(let path, _): [path]
        case .not(let inner): inner.sources
        case .all(let list), .any(let list): list.flatMap(\.sources)
        }
    }
}
