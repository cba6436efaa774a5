/// The members of a JSON object, in insertion order, with unique keys.
///
/// Lookups scan the members (objects in payloads are small); equality and hashing ignore order.
public struct JSONObject: Sendable, Hashable, Sequence {
    /// One member.
    public struct Member: Sendable, Hashable {
        /// The member name.
        public var key: String
        /// Its value.
        public var value: JSONValue
        /// A member.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members in order.
    public private(set) var members: [Member]

    /// An object with these members; a later duplicate key replaces the earlier value in place.
    public init(_ members: [Member] = []) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    /// How many members.
    public var count: Int { members.count }
    /// True without members.
    public var isEmpty: Bool { members.isEmpty }
    /// The member names in order.
    public var keys: [String] { members.map(\.key) }

    /// The value of `key`; setting nil removes the member, setting a value appends or replaces it in place.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }

    /// Mutates the value of `key` in place (a new member starts as `null`, appended last).
    @discardableResult
    mutating func update<T>(_ key: String, _ body: (inout JSONValue) -> T) -> T {
        if let index = members.firstIndex(where: { $0.key == key }) { return body(&members[index].value) }
        members.append(Member(key: key, value: .null))
        return body(&members[members.count - 1].value)
    }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for member in lhs.members where rhs[member.key] != member.value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        // Order-independent: combine per-member hashes commutatively.
        var sum = 0
        for member in members {
            var inner = Hasher()
            inner.combine(member.key)
            inner.combine(member.value)
            sum = sum &+ inner.finalize()
        }
        hasher.combine(sum)
    }
}
